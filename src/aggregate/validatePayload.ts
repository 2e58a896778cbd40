import type { z } from 'zod';

export type PayloadIssue = { readonly path: string; readonly message: string };

export type PayloadCheck =
  | { readonly status: 'valid'; readonly data: unknown }
  | { readonly status: 'invalid'; readonly message: string; readonly issues: readonly PayloadIssue[] };

/** Validates against a command's schema; the message names every failing field. */
export const validatePayload = (schema: z.ZodType, payload: unknown): PayloadCheck => {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { status: 'valid', data: parsed.data };
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(payload)',
    message: issue.message,
  }));
  return {
    status: 'invalid',
    message: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
    issues,
  };
};
