import type { z } from 'zod';
import { type PayloadIssue, validatePayload } from '../aggregate/index.js';

/** What a query helper answers: plain JSON, or why not. Map to HTTP 200 / 400 / 404. */
export type QueryResult<Data> = { readonly status: 'ok'; readonly data: Data } | QueryFailure;

export type QueryFailure =
  | { readonly status: 'invalid'; readonly message: string; readonly issues: readonly PayloadIssue[] }
  | { readonly status: 'not-found'; readonly message: string };

export const invalid = (path: string, message: string): QueryFailure => ({
  status: 'invalid',
  message: `${path}: ${message}`,
  issues: [{ path, message }],
});

export const queryNotFound = (message: string): QueryFailure => ({ status: 'not-found', message });

/**
 * Parses raw query input (strings from a URL, or values) with a schema; the message names every
 * bad field. `run` gets the parsed input.
 */
export const withQuery = async <Schema extends z.ZodType, Data>(
  schema: Schema,
  input: unknown,
  run: (parsed: z.output<Schema>) => Promise<QueryResult<Data>>,
): Promise<QueryResult<Data>> => {
  const parsed = validatePayload(schema, input ?? {});
  if (parsed.status === 'invalid')
    return { status: 'invalid', message: parsed.message, issues: parsed.issues };
  return run(parsed.data as z.output<Schema>);
};
