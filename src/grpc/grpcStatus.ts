import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { isChronicleError } from '../errors/index.js';
import { isHttpError, type SendRejection } from '../http/index.js';

/**
 * Chronicle's codes as gRPC status codes: the one table, as rejectionStatus is for HTTP. A
 * rejection code the table does not list (the domain's own) is FAILED_PRECONDITION, as it is
 * 409 over HTTP; any other error not listed is INTERNAL.
 */
export const grpcStatusByCode: Readonly<Record<string, status>> = {
  // the request itself is wrong (HTTP 400, 422)
  INVALID_REQUEST: status.INVALID_ARGUMENT,
  VALIDATION: status.INVALID_ARGUMENT,
  UNKNOWN_AGGREGATE: status.INVALID_ARGUMENT,
  UNKNOWN_COMMAND: status.INVALID_ARGUMENT,
  // conflicts with the state (HTTP 409)
  INVALID_TRANSITION: status.FAILED_PRECONDITION,
  CONCURRENCY: status.ABORTED,
  COMMAND_ID_REUSED: status.ALREADY_EXISTS,
  NOT_FOUND: status.NOT_FOUND,
  // who is calling (HTTP 401, 403)
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  INVALID_CREDENTIALS: status.UNAUTHENTICATED,
  FORBIDDEN: status.PERMISSION_DENIED,
  // budgets (HTTP 429, 503)
  RATE_LIMITED: status.RESOURCE_EXHAUSTED,
  TOO_MANY_STREAMS_FOR_CALLER: status.RESOURCE_EXHAUSTED,
  TOO_MANY_STREAMS: status.UNAVAILABLE,
  // the infrastructure
  TRANSIENT: status.UNAVAILABLE,
  UNAVAILABLE: status.UNAVAILABLE,
  SERVICE_UNREACHABLE: status.UNAVAILABLE,
  TIMEOUT: status.DEADLINE_EXCEEDED,
  // the worker gave the command up (a dead letter): HTTP 500
  COMMAND_FAILED: status.INTERNAL,
};

/** Trailing metadata: Chronicle's own code, always; the details as JSON, when there are some. */
const CODE_KEY = 'chronicle-code';
const DETAILS_KEY = 'chronicle-details-bin';

/** A status as grpc-js sends it, with Chronicle's code in the trailing metadata. */
export const serviceError = (
  code: status,
  chronicleCode: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
  retryAfter?: string,
): ServiceError => {
  const metadata = new Metadata();
  metadata.set(CODE_KEY, chronicleCode);
  if (details) metadata.set(DETAILS_KEY, Buffer.from(JSON.stringify(details)));
  if (retryAfter) metadata.set('retry-after', retryAfter);
  return Object.assign(new Error(message), { code, details: message, metadata });
};

/** A rejected command as the caller receives it. */
export const rejectionError = (rejection: SendRejection): ServiceError =>
  serviceError(
    grpcStatusByCode[rejection.code] ?? status.FAILED_PRECONDITION,
    rejection.code,
    rejection.message,
    { ...(rejection.commandId ? { commandId: rejection.commandId } : {}), ...rejection.details },
  );

export type ErrorAnswer = { readonly error: ServiceError; readonly expected: boolean };

/**
 * Any error as a status: Chronicle's (an HTTP answer included) by its code; anything else is
 * INTERNAL, saying nothing of its insides (`expected: false`: the caller logs it).
 */
export const errorAnswer = (error: unknown): ErrorAnswer => {
  // already a status (a rejection)
  if (error instanceof Error && 'metadata' in error && error.metadata instanceof Metadata)
    return { error: error as ServiceError, expected: true };
  if (isChronicleError(error)) {
    const code = grpcStatusByCode[error.code];
    if (code !== undefined) {
      const http = isHttpError(error) ? error : undefined;
      return {
        error: serviceError(code, error.code, error.message, http?.details, http?.headers?.['retry-after']),
        expected: code !== status.INTERNAL || error.code === 'COMMAND_FAILED',
      };
    }
  }
  return {
    error: serviceError(status.INTERNAL, 'INTERNAL', 'internal error; the server log has the details'),
    expected: false,
  };
};
