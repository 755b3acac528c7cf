// Errors a client caused, answered with a 4xx that names the field.
export class ClientError extends Error {
  constructor(
    readonly statusCode: number,
    readonly field: string | null,
    message: string
  ) {
    super(message);
  }
}

export const notFound = (field: string, what: string, id: string) => new ClientError(404, field, `${what} "${id}" not found`);
