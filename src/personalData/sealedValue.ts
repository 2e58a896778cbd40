import { decrypt, encrypt } from './keyring.js';

/** The marker of an encrypted value in stored JSON. */
export const SEALED = 'chronicle:sealed';

/**
 * A personal value as stored: AES-256-GCM under its subject's data key (`c`: iv ‖ ciphertext ‖ tag
 * in base64), with the subject named (`s`) so a reader finds the key, and authenticated with it.
 */
export type SealedValue = { readonly [SEALED]: { readonly s: string; readonly c: string } };

const aad = (subject: string) => Buffer.from(`chronicle personal data\u0000${subject}`);

export const isSealed = (value: unknown): value is SealedValue =>
  typeof value === 'object' && value !== null && SEALED in value;

/** `value` (any JSON) encrypted with the subject's data key. */
export const sealValue = (dataKey: Buffer, subject: string, value: unknown): SealedValue => ({
  [SEALED]: {
    s: subject,
    c: encrypt(dataKey, Buffer.from(JSON.stringify(value) ?? 'null'), aad(subject)).toString('base64'),
  },
});

/** The value a SealedValue holds; throws when `dataKey` is not its subject's key. */
export const openValue = (dataKey: Buffer, sealed: SealedValue): unknown => {
  const { s, c } = sealed[SEALED];
  return JSON.parse(decrypt(dataKey, Buffer.from(c, 'base64'), aad(s)).toString());
};
