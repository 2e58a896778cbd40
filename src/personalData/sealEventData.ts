import { ChronicleError } from '../errors/index.js';
import type { PersonalData } from '../eventSchemas/index.js';
import { SEALED, sealFields } from './sealedValue.js';

/** A subject's data key, or `forgotten` when the subject was forgotten (no key will be made again). */
export type SubjectKey = Buffer | 'forgotten';

/** The subject an event's personal data belongs to: its subject field, else the stream's id. */
export const subjectOf = (personal: PersonalData, data: unknown, streamId: string): string => {
  if (personal.subject === undefined) return streamId;
  const subject = (data as Record<string, unknown> | null)?.[personal.subject];
  if (typeof subject !== 'string' || subject === '')
    throw new ChronicleError(
      'VALIDATION',
      `personal data: the subject field "${personal.subject}" must be a non-empty string`,
    );
  return subject;
};

/**
 * An event's data as stored: its personal fields taken out and sealed together with the subject's
 * key (SealedFields, under SEALED), or replaced by the redaction value when the subject was
 * forgotten (nothing personal is kept of a forgotten subject). `sealed` says whether anything was
 * sealed, so readers know to look for keys.
 */
export const sealEventData = (
  personal: PersonalData,
  data: unknown,
  subject: string,
  key: SubjectKey,
): { readonly data: unknown; readonly sealed: boolean } => {
  if (typeof data !== 'object' || data === null) return { data, sealed: false };
  const present = personal.fields.filter((field) => field in data);
  if (present.length === 0) return { data, sealed: false };
  const stored: Record<string, unknown> = { ...data };
  if (key === 'forgotten') {
    for (const field of present) stored[field] = personal.redacted;
    return { data: stored, sealed: false };
  }
  const fields: Record<string, unknown> = {};
  for (const field of present) {
    fields[field] = stored[field];
    delete stored[field];
  }
  stored[SEALED] = sealFields(key, subject, fields);
  return { data: stored, sealed: true };
};
