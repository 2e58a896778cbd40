import type { ApiContext, Authenticator } from '../http/index.js';
import type { Logger } from '../logging/index.js';
import { errorAnswer } from './grpcStatus.js';

/** What the service's methods share: the api pod's context, its authenticator, the server's life. */
export type ServiceDeps = {
  readonly ctx: ApiContext;
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  /** Aborts when the gRPC server closes: live feeds end on it. */
  readonly closing: AbortSignal;
};

/** Logs what no caller provoked on purpose, and answers it as a status. */
export const failCall = (deps: ServiceDeps, method: string, error: unknown) => {
  const answer = errorAnswer(error);
  if (!answer.expected) deps.logger.error({ err: error, method }, 'gRPC call failed');
  return answer.error;
};
