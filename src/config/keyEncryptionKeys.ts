import { ChronicleError } from '../errors/index.js';

/** One key-encryption key: its id (stored beside every data key it wraps) and its 32 bytes. */
export type KeyEncryptionKey = { readonly id: string; readonly key: Buffer };

/**
 * The key-encryption keys of a deployment: `current` wraps new data keys; `retired` ones (kept
 * after a rotation until `chronicle keys rotate` has rewrapped every data key) only unwrap.
 */
export type KeyEncryptionKeys = {
  readonly current: KeyEncryptionKey;
  readonly retired: readonly KeyEncryptionKey[];
};

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const FORMAT = '<id>:<base64 of 32 random bytes>, e.g. k1:$(openssl rand -base64 32)';

/** One `<id>:<base64>` entry; the error names the variable and the id, never the key. */
const parseKey = (name: string, entry: string): KeyEncryptionKey => {
  const colon = entry.indexOf(':');
  const id = colon < 0 ? '' : entry.slice(0, colon).trim();
  const encoded = colon < 0 ? '' : entry.slice(colon + 1).trim();
  if (!ID.test(id)) throw new ChronicleError('CONFIGURATION', `${name} must be ${FORMAT}`);
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded))
    throw new ChronicleError(
      'CONFIGURATION',
      `${name}: key "${id}" must be 32 bytes in base64 (${FORMAT}), got ${key.length} bytes`,
    );
  return { id, key };
};

/**
 * CHRONICLE_KEK (the current key-encryption key) and CHRONICLE_KEK_RETIRED (a comma-separated
 * list of older ones), or undefined when CHRONICLE_KEK is not set. Whether a deployment needs one
 * is the deployment's to say (it marks personal fields): see requirePersonalDataKeys.
 */
export const keyEncryptionKeysFromEnv = (
  env: NodeJS.ProcessEnv = process.env,
): KeyEncryptionKeys | undefined => {
  const raw = env.CHRONICLE_KEK?.trim();
  const retiredRaw = env.CHRONICLE_KEK_RETIRED?.trim();
  if (!raw) {
    if (retiredRaw)
      throw new ChronicleError('CONFIGURATION', 'CHRONICLE_KEK_RETIRED is set but CHRONICLE_KEK is not');
    return undefined;
  }
  const current = parseKey('CHRONICLE_KEK', raw);
  const retired = (retiredRaw ? retiredRaw.split(',') : []).map((entry) =>
    parseKey('CHRONICLE_KEK_RETIRED', entry),
  );
  const ids = [current, ...retired].map(({ id }) => id);
  const twice = ids.find((id, index) => ids.indexOf(id) !== index);
  if (twice !== undefined)
    throw new ChronicleError('CONFIGURATION', `key-encryption key id "${twice}" is listed twice`);
  return { current, retired };
};
