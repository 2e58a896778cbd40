/**
 * The codes of the errors the runtime raises itself (not rejections: those are answers, below).
 * A new one is added here first: the compiler refuses a code that is not listed.
 */
export const errorCodes = [
  /** Another writer moved the stream past the expected version. */
  'CONCURRENCY',
  /** Infrastructure trouble (database down, timeout): retried in place with backoff. */
  'TRANSIENT',
  /** A sender waited longer than its timeout; the command stays queued. */
  'TIMEOUT',
  /** A command's job failed for good (retries exhausted): it is a dead letter. */
  'COMMAND_FAILED',
  /** A setting or a definition is wrong: the pod must not start. */
  'CONFIGURATION',
  /** An aggregate's machine has actions with effects; folding must be pure. */
  'IMPURE_MACHINE',
  /** Stored events do not continue the stream where the actor stands. */
  'STREAM_GAP',
  /** An assigner threw while folding a stored event. */
  'FOLD_FAILED',
  /**
   * A stored event cannot be read in its current shape: its schema version is newer than the code
   * knows, or no upcaster leads from it to the current one. Names the event; never passed through.
   */
  'EVENT_SCHEMA',
  /** A subscription's handler failed on an event. */
  'EVENT_HANDLING',
  /**
   * A command only another running release can take (or hydrate) was left for its pods and none
   * took it within CHRONICLE_VERSION_SKEW_WAIT_MS: failed, never recorded as a rejection.
   */
  'VERSION_SKEW',
  /** A newer rebuild of the projection took the shadow over. */
  'REBUILD_SUPERSEDED',
  /** PostgreSQL, Redis or NATS cannot be reached at start-up. */
  'SERVICE_UNREACHABLE',
  /** A broker (NATS) cannot be reached while running. */
  'UNAVAILABLE',
  /** Something the code rules out happened (a statement gave no row it always gives): a bug, not an outage. */
  'INVARIANT',
  /** An event is larger than the broker takes in one message (NATS max_payload). */
  'EVENT_TOO_LARGE',
] as const;

export type ChronicleErrorCode = (typeof errorCodes)[number];

/** The codes the runtime rejects a command with; a domain adds its own through `reject`. */
export const rejectionCodes = [
  'VALIDATION',
  'INVALID_TRANSITION',
  'UNKNOWN_AGGREGATE',
  'UNKNOWN_COMMAND',
] as const;

export type RejectionCode = (typeof rejectionCodes)[number];

/**
 * Every error Chronicle raises on purpose carries a stable `code`. Callers check the code, not the
 * class, so checks keep working across duplicated package copies. `new ChronicleError(code, …)`
 * takes only a listed code (one of `errorCodes` or `rejectionCodes`); the subclasses that carry open sets of codes (a domain's rejections,
 * the HTTP answers) say so by extending `ChronicleError<string>`.
 */
export class ChronicleError<Code extends string = ChronicleErrorCode | RejectionCode> extends Error {
  override readonly name: string = 'ChronicleError';
  /** A brand, so the check below works across duplicated package copies (instanceof does not). */
  readonly isChronicleError = true;
  constructor(
    readonly code: NoInfer<Code>,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const isChronicleError = (
  error: unknown,
  code?: ChronicleErrorCode | RejectionCode,
): error is ChronicleError<string> => {
  if (!(error instanceof Error) || !('isChronicleError' in error) || error.isChronicleError !== true)
    return false;
  return code === undefined || (error as ChronicleError<string>).code === code;
};
