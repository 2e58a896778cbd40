/**
 * Every error Chronicle raises on purpose carries a stable `code`. Callers check the code, not the
 * class, so checks keep working across duplicated package copies.
 */
export const errorCodes = [
  'VALIDATION',
  'INVALID_TRANSITION',
  'UNKNOWN_AGGREGATE',
  'UNKNOWN_COMMAND',
  'CONCURRENCY',
  'IMPURE_MACHINE',
  'TIMEOUT',
  'CONFIGURATION',
] as const;

export type ChronicleErrorCode = (typeof errorCodes)[number];

export class ChronicleError extends Error {
  override readonly name: string = 'ChronicleError';
  /** A brand, so the check below works across duplicated package copies (instanceof does not). */
  readonly isChronicleError = true;
  constructor(
    readonly code: ChronicleErrorCode | (string & {}),
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const isChronicleError = (error: unknown, code?: string): error is ChronicleError => {
  if (!(error instanceof Error) || !('isChronicleError' in error) || error.isChronicleError !== true)
    return false;
  return code === undefined || (error as ChronicleError).code === code;
};
