import { z } from 'zod';
import { ChronicleError } from '../errors/index.js';

export const ApiKeyEntry = z.strictObject({
  key: z.string().min(16, 'API keys need at least 16 characters'),
  roles: z.array(z.string().min(1)),
  /**
   * Names the principal (`key:<name>`) in logs, rate limits and every event's `issuedBy`. Required:
   * anything derived from the key itself would let readers of the events test guesses offline.
   */
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a key name: 1-64 letters, digits, ".", "_" or "-"'),
  /** Requests per window for this key, instead of the default. */
  rateLimit: z.number().int().positive().optional(),
});
export type ApiKeyEntry = z.infer<typeof ApiKeyEntry>;

/** CHRONICLE_API_KEYS: `[{"key":"...","name":"dashboard","roles":["read"]}]`; anything malformed stops the pod. */
export const parseApiKeys = (raw: string | undefined): ApiKeyEntry[] => {
  if (!raw?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ChronicleError('CONFIGURATION', 'CHRONICLE_API_KEYS is not valid JSON');
  }
  const parsed = z
    .array(ApiKeyEntry)
    .refine((entries) => new Set(entries.map((entry) => entry.name)).size === entries.length, {
      message: 'each key needs its own name',
    })
    .safeParse(json);
  if (!parsed.success) {
    // never echo the keys themselves
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ChronicleError('CONFIGURATION', `CHRONICLE_API_KEYS: ${where}`);
  }
  return parsed.data;
};
