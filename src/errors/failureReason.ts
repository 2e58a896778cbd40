import { isChronicleError } from './chronicleError.js';
import { classifyFailure } from './classifyFailure.js';

/**
 * What readers of a dead letter or a status see: a typed code and a short message. The full error
 * (SQL text, values, stack) goes to the log only: it can carry internals and other people's data.
 */
export type FailureReason = { readonly code: string; readonly message: string };

const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);

const sqlStateClass: Readonly<Record<string, FailureReason>> = {
  '22': { code: 'VALUE_REFUSED', message: 'PostgreSQL refused a value (out of range or malformed)' },
  '23': { code: 'CONSTRAINT_VIOLATED', message: 'PostgreSQL refused the write (a constraint)' },
  '42': {
    code: 'SCHEMA_MISMATCH',
    message: 'the statement does not fit the schema (missing table or column?)',
  },
};

const isSqlState = (code: unknown): code is string => typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);

export const failureReason = (error: unknown): FailureReason => {
  // a handler's failure names its event elsewhere; its reason is the cause's
  if (isChronicleError(error, 'EVENT_HANDLING') && error.cause !== undefined)
    return failureReason(error.cause);
  if (isChronicleError(error)) return { code: error.code, message: clip(error.message) };
  const code = (error as { code?: unknown }).code;
  if (isSqlState(code)) {
    const known = sqlStateClass[code.slice(0, 2)];
    const base = known ?? { code: 'DATABASE_ERROR', message: 'PostgreSQL refused the statement' };
    return { code: base.code, message: `${base.message} (SQLSTATE ${code})` };
  }
  if (classifyFailure(error) === 'transient')
    return {
      code: 'UNAVAILABLE',
      message: `a dependency is unreachable${typeof code === 'string' ? ` (${code})` : ''}`,
    };
  const name = error instanceof Error ? error.name : typeof error;
  return { code: 'INTERNAL', message: `${name}: see the pod's log` };
};

/** The one-line form stored where only a string fits (BullMQ's failedReason): `CODE: message`. */
export const formatFailureReason = (reason: FailureReason): string => `${reason.code}: ${reason.message}`;

export const parseFailureReason = (text: string): FailureReason => {
  const match = /^([A-Z][A-Z0-9_]*): (.*)$/s.exec(text);
  return match
    ? { code: match[1] as string, message: match[2] as string }
    : { code: 'FAILED', message: clip(text) };
};
