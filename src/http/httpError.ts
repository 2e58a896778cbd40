import { ChronicleError } from '../errors/index.js';

/** The JSON body of every error the API answers: a stable code, a message, sometimes details. */
export type ErrorBody = {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
};

/** An error with its HTTP status: thrown by routes and hooks, turned into `{ code, message }` once. */
export class HttpError extends ChronicleError<string> {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(code, message);
  }

  body(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export const isHttpError = (error: unknown): error is HttpError =>
  error instanceof Error && error.name === 'HttpError' && 'statusCode' in error && 'body' in error;

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new HttpError(400, 'INVALID_REQUEST', message, details);

export const notFound = (message: string) => new HttpError(404, 'NOT_FOUND', message);
