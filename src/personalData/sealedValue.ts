import { decrypt, encrypt } from './keyring.js';

/** The field of an event's stored data that holds its personal fields, sealed. */
export const SEALED = 'chronicle:sealed';

/**
 * An event's personal fields as stored, in place of the fields themselves: AES-256-GCM under the
 * subject's data key (`c`: iv ‖ ciphertext ‖ tag in base64, of the fields as one JSON object),
 * naming the subject (`s`) so a reader finds the key, and the fields (`f`) so a reader that has no
 * key left knows which to redact. Both are authenticated with the ciphertext. One value per event,
 * so a reader decrypts once per event, whatever the number of fields.
 */
export type SealedFields = { readonly s: string; readonly f: readonly string[]; readonly c: string };

const aad = (subject: string, fields: readonly string[]) =>
  Buffer.from(`chronicle personal data\u0000${subject}\u0000${fields.join('\u0000')}`);

/** Whether stored data holds sealed fields. */
export const sealedFieldsOf = (data: unknown): SealedFields | undefined =>
  typeof data === 'object' && data !== null && SEALED in data
    ? ((data as Record<string, unknown>)[SEALED] as SealedFields)
    : undefined;

/** `fields` (JSON values by name) sealed with the subject's data key. */
export const sealFields = (
  dataKey: Buffer,
  subject: string,
  fields: Readonly<Record<string, unknown>>,
): SealedFields => {
  const names = Object.keys(fields);
  const c = encrypt(dataKey, Buffer.from(JSON.stringify(fields)), aad(subject, names)).toString('base64');
  return { s: subject, f: names, c };
};

/** The fields a SealedFields holds; throws when `dataKey` is not its subject's key. */
export const openFields = (dataKey: Buffer, { s, f, c }: SealedFields): Record<string, unknown> =>
  JSON.parse(decrypt(dataKey, Buffer.from(c, 'base64'), aad(s, f)).toString());
