import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type KeyEncryptionKeys, keyEncryptionKeysFromEnv } from '../config/index.js';
import { ChronicleError } from '../errors/index.js';

/** A data key as stored: wrapped (encrypted) with the key-encryption key `kekId`. */
export type WrappedKey = { readonly kekId: string; readonly wrapped: Buffer };

/** Wraps and unwraps subjects' data keys with the deployment's key-encryption keys. */
export type Keyring = {
  /** The id of the key new data keys are wrapped with. */
  readonly currentId: string;
  /** Every id it can unwrap with (the current one first). */
  readonly ids: readonly string[];
  wrap(subject: string, dataKey: Buffer): WrappedKey;
  /** A CONFIGURATION error when the key-encryption key is not listed or is not the one it was wrapped with. */
  unwrap(subject: string, key: WrappedKey): Buffer;
  /** unwrap of a key as the read statements select it (wrapped in base64): no decoding when known. */
  unwrapStored(subject: string, kekId: string, wrappedBase64: string): Buffer;
  /** A value only key-encryption key `kekId` opens (stored once per id: a wrong key is seen at start). */
  checkValue(kekId: string): Buffer;
  /** Throws unwrap's CONFIGURATION error when `check` was not made with this keyring's `kekId`. */
  verifyCheckValue(kekId: string, check: Buffer): void;
};

const CHECK_SUBJECT = '\u0000key-encryption key check';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Unwrapped keys kept in memory: unwrapping is an AES operation per row otherwise. */
const UNWRAPPED_KEPT = 10_000;

// the subject is authenticated with its key: a wrapped key copied to another subject's row does not open
const aad = (subject: string) => Buffer.from(`chronicle data key\u0000${subject}`);

/** AES-256-GCM with a fresh IV: iv ‖ ciphertext ‖ tag. */
export const encrypt = (key: Buffer, plaintext: Buffer, associated: Buffer): Buffer => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(associated);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
};

/** The plaintext of `encrypt`'s output; throws when the key, the data or `associated` differ. */
export const decrypt = (key: Buffer, sealed: Buffer, associated: Buffer): Buffer => {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(associated).setAuthTag(tag);
  return Buffer.concat([
    decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
    decipher.final(),
  ]);
};

/** A keyring over the given key-encryption keys. */
export const createKeyring = ({ current, retired }: KeyEncryptionKeys): Keyring => {
  const byId = new Map([current, ...retired].map(({ id, key }) => [id, key]));
  const unwrapped = new Map<string, Buffer>();
  const unwrapStored = (subject: string, kekId: string, wrappedBase64: string): Buffer => {
    const cacheKey = `${kekId}\u0000${subject}\u0000${wrappedBase64}`;
    const known = unwrapped.get(cacheKey);
    if (known) return known;
    const wrapped = Buffer.from(wrappedBase64, 'base64');
    const kek = byId.get(kekId);
    if (!kek)
      throw new ChronicleError(
        'CONFIGURATION',
        `a data key is wrapped with key-encryption key "${kekId}", which neither CHRONICLE_KEK nor CHRONICLE_KEK_RETIRED lists`,
      );
    let dataKey: Buffer;
    try {
      dataKey = decrypt(kek, wrapped, aad(subject));
    } catch {
      throw new ChronicleError(
        'CONFIGURATION',
        `key-encryption key "${kekId}" does not open the data keys wrapped under that id: CHRONICLE_KEK or CHRONICLE_KEK_RETIRED holds the wrong key for it`,
      );
    }
    if (unwrapped.size >= UNWRAPPED_KEPT) unwrapped.delete(unwrapped.keys().next().value as string);
    unwrapped.set(cacheKey, dataKey);
    return dataKey;
  };
  return {
    currentId: current.id,
    ids: [...byId.keys()],
    wrap: (subject, dataKey) => ({ kekId: current.id, wrapped: encrypt(current.key, dataKey, aad(subject)) }),
    unwrap: (subject, { kekId, wrapped }) => unwrapStored(subject, kekId, wrapped.toString('base64')),
    unwrapStored,
    checkValue: (kekId) => encrypt(byId.get(kekId) ?? current.key, Buffer.alloc(32), aad(CHECK_SUBJECT)),
    verifyCheckValue: (kekId, check) => {
      unwrapStored(CHECK_SUBJECT, kekId, check.toString('base64'));
    },
  };
};

let fromSettings: Keyring | undefined;

/**
 * The deployment's keyring, from CHRONICLE_KEK and CHRONICLE_KEK_RETIRED (read once). Asked for
 * only when personal data is written or read, so a deployment without any needs no key; one with
 * personal fields and no key gets a CONFIGURATION error saying so.
 */
export const deploymentKeyring = (): Keyring => {
  if (fromSettings) return fromSettings;
  const keys = keyEncryptionKeysFromEnv();
  if (!keys)
    throw new ChronicleError(
      'CONFIGURATION',
      'CHRONICLE_KEK is not set, and this deployment stores personal data (docs/personal-data.md)',
    );
  fromSettings = createKeyring(keys);
  return fromSettings;
};
