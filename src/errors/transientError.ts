import { ChronicleError } from './chronicleError.js';

/** Infrastructure trouble (database down, timeout): retried in place with backoff. */
export class TransientError extends ChronicleError {
  override readonly name = 'TransientError';
  constructor(message: string, options?: ErrorOptions) {
    super('TRANSIENT', message, options);
  }
}
