import { z } from 'zod';
import { ChronicleError } from '../errors/index.js';

export const NatsSender = z.strictObject({
  /**
   * The NATS user, as the server knows it, and the subject token its commands come on
   * (`<prefix>.commands.<user>.…`): the server's permissions let only that user publish there.
   */
  user: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a NATS user: 1-64 letters, digits, "_" or "-"'),
  /** As an API key's: `commands:send`, `commands:send:<aggregateType>`, `admin`. */
  roles: z.array(z.string().min(1)),
});
export type NatsSender = z.infer<typeof NatsSender>;

/**
 * CHRONICLE_NATS_SENDERS: `[{"user":"shop","roles":["commands:send:order"]}]`, the NATS users
 * whose commands the nats pods take (principal `nats:<user>`); anything malformed stops the pod.
 */
export const parseNatsSenders = (raw: string | undefined): NatsSender[] => {
  if (!raw?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ChronicleError('CONFIGURATION', 'CHRONICLE_NATS_SENDERS is not valid JSON');
  }
  const parsed = z
    .array(NatsSender)
    .refine((entries) => new Set(entries.map((entry) => entry.user)).size === entries.length, {
      message: 'each user once',
    })
    .safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ChronicleError('CONFIGURATION', `CHRONICLE_NATS_SENDERS: ${where}`);
  }
  return parsed.data;
};
