import { ClientError } from '../errors.ts';

// A ClientError so the shared error handler answers with the right 4xx and names the field.
export class LogoError extends ClientError {
  declare readonly field: 'logo'; // `declare`: no class-field emit that would reset what super() set

  constructor(
    override readonly statusCode: 400 | 413 | 415,
    message: string
  ) {
    super(statusCode, 'logo', message);
    this.name = 'LogoError';
  }
}
