import { ChronicleError } from './chronicleError.js';

/** Another writer moved the stream past the version this append expected. */
export class ConcurrencyError extends ChronicleError {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly streamType: string,
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      'CONCURRENCY',
      `stream ${streamType}/${streamId} is at version ${actualVersion}, expected ${expectedVersion}`,
    );
  }
}
