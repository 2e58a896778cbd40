import { hkdfSync } from 'node:crypto';
import { decrypt, deploymentKeyring, encrypt, type Keyring } from './keyring.js';
import { dataKeyOf, type StoredDataKeys } from './storedDataKeys.js';

/** The marker of a sealed snapshot state in stored JSON. */
export const SEALED_STATE = 'chronicle:sealed-state';

/**
 * A snapshot of a stream holding personal data, as stored: the state encrypted with a key derived
 * from the data keys of every subject the stream's events name, so forgetting any one of them
 * makes the snapshot unreadable (hydration then folds the events, with that subject's fields
 * redacted).
 */
export type SealedState = {
  readonly [SEALED_STATE]: { readonly subjects: readonly string[]; readonly c: string };
};

const associated = (subjects: readonly string[]) =>
  Buffer.from(`chronicle snapshot\u0000${subjects.join('\u0000')}`);

const stateKey = (subjects: readonly string[], keyOf: (subject: string) => Buffer): Buffer =>
  Buffer.from(
    hkdfSync('sha256', Buffer.concat(subjects.map(keyOf)), Buffer.alloc(0), associated(subjects), 32),
  );

export const isSealedState = (value: unknown): value is SealedState =>
  typeof value === 'object' && value !== null && SEALED_STATE in value;

/** `state` encrypted under the data keys of `keys`' subjects (each one needed to open it). */
export const sealState = (state: unknown, keys: ReadonlyMap<string, Buffer>): SealedState => {
  const subjects = [...keys.keys()].sort();
  const key = stateKey(subjects, (subject) => keys.get(subject) as Buffer);
  const c = encrypt(key, Buffer.from(JSON.stringify(state)), associated(subjects)).toString('base64');
  return { [SEALED_STATE]: { subjects, c } };
};

/**
 * A stored snapshot state, opened when it is sealed: `unreadable` once one of its subjects was
 * forgotten, and the snapshot must not be used.
 */
export const openState = <State>(
  stored: State | SealedState,
  keys: StoredDataKeys | undefined,
  keyring: () => Keyring = deploymentKeyring,
): { readonly status: 'read'; readonly state: State } | { readonly status: 'unreadable' } => {
  if (!isSealedState(stored)) return { status: 'read', state: stored };
  const { subjects, c } = stored[SEALED_STATE];
  const dataKeys = subjects.map((subject) => (keys ? dataKeyOf(keyring, keys, subject) : undefined));
  if (dataKeys.some((key) => key === undefined)) return { status: 'unreadable' };
  const key = stateKey(subjects, (subject) => dataKeys[subjects.indexOf(subject)] as Buffer);
  return {
    status: 'read',
    state: JSON.parse(decrypt(key, Buffer.from(c, 'base64'), associated(subjects)).toString()),
  };
};
