import { isChronicleError } from '../errors/index.js';

/** Exit codes of every CLI verb: 0 done/accepted, 1 error, 2 rejected or not found. */
export const EXIT = { ok: 0, error: 1, rejected: 2 } as const;

export type CliOutcome = { readonly exitCode: number };

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

export const printError = (message: string): void => {
  process.stderr.write(`chronicle: ${message}\n`);
};

/** An error as one line: an unreachable service speaks for itself; other Chronicle errors lead with their code. */
export const errorLine = (error: unknown): string => {
  if (isChronicleError(error, 'SERVICE_UNREACHABLE')) return error.message;
  if (isChronicleError(error)) return `${error.code}: ${error.message}`;
  return (error as Error).message ?? String(error);
};
