// Errors a client caused, answered with a 4xx that names the field.
export class ClientError extends Error {
  constructor(
    readonly statusCode: number,
    readonly field: string | null,
    message: string,
    /** The limit a 413 or 429 enforces, by the setting that sets it. */
    readonly limit?: { name: string; max: number; window_s?: number }
  ) {
    super(message);
  }
}

export const notFound = (field: string, what: string, id: string) => new ClientError(404, field, `${what} "${id}" not found`);

/** The server cannot take the request now (store failing or slow, queue full, stopping): 503 with Retry-After. */
export class Unavailable extends Error {
  readonly statusCode = 503;
  constructor(
    message: string,
    readonly retryAfterS: number
  ) {
    super(message);
  }
}
