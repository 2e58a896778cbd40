import type { Keyring } from './keyring.js';

/**
 * The data keys a stored row's subjects still have, as the readers' statements select them
 * (`dataKeysSql`): subject → [key-encryption key id, wrapped key in base64]. A forgotten subject
 * has none. Null for a row with nothing sealed.
 */
export type StoredDataKeys = Readonly<Record<string, readonly [string, string]>> | null;

/** The unwrapped data key of `subject` among `keys`, if it still has one. */
export const dataKeyOf = (
  keyring: () => Keyring,
  keys: NonNullable<StoredDataKeys>,
  subject: string,
): Buffer | undefined => {
  const stored = keys[subject];
  if (!stored) return undefined;
  const [kekId, wrapped] = stored;
  return keyring().unwrapStored(subject, kekId, wrapped);
};
