import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyEncryptionKeysFromEnv } from '../config/index.js';
import { eventVersions } from '../eventSchemas/index.js';
import { createKeyring } from './keyring.js';
import { openEventData } from './openEventData.js';
import { sealEventData, subjectOf } from './sealEventData.js';
import { openState, sealState } from './sealedState.js';

const kek = (id: string) => ({ id, key: randomBytes(32) });
const k1 = kek('k1');
const keyring = createKeyring({ current: k1, retired: [] });
const personal = { fields: ['email', 'name'], redacted: '[forgotten]' } as const;
const registered = { email: 'ada@example.com', name: 'Ada', plan: 'pro' };

/** The stored form of a data key, as the read statements select it. */
const storedKeys = (subject: string, dataKey: Buffer) => {
  const { kekId, wrapped } = keyring.wrap(subject, dataKey);
  return { [subject]: [kekId, wrapped.toString('base64')] as const };
};

describe('personal data', () => {
  it('seals only the declared fields, and opens them with the subject key', () => {
    const dataKey = randomBytes(32);
    const stored = sealEventData(personal, registered, 'u-1', dataKey);
    expect(stored.sealed).toBe(true);
    expect(JSON.stringify(stored.data)).not.toContain('ada@example.com');
    expect(JSON.stringify(stored.data)).not.toContain('Ada');
    expect((stored.data as { plan: string }).plan).toBe('pro');
    expect(openEventData(stored.data, storedKeys('u-1', dataKey), null, () => keyring)).toEqual(registered);
  });

  it('reads a forgotten subject (no key left) as the redaction value, never the ciphertext', () => {
    const stored = sealEventData(personal, registered, 'u-1', randomBytes(32));
    expect(openEventData(stored.data, {}, '[forgotten]', () => keyring)).toEqual({
      email: '[forgotten]',
      name: '[forgotten]',
      plan: 'pro',
    });
  });

  it('stores the redaction value, not the data, for a subject already forgotten', () => {
    expect(sealEventData(personal, registered, 'u-1', 'forgotten')).toEqual({
      data: { email: '[forgotten]', name: '[forgotten]', plan: 'pro' },
      sealed: false,
    });
  });

  it("refuses another subject's key: values are bound to their subject", () => {
    const dataKey = randomBytes(32);
    const stored = sealEventData(personal, registered, 'u-1', dataKey);
    const moved = JSON.parse(JSON.stringify(stored.data).replaceAll('"s":"u-1"', '"s":"u-2"'));
    expect(() => openEventData(moved, storedKeys('u-2', dataKey), null, () => keyring)).toThrow();
  });

  it('takes the subject from its field, else the stream id, and refuses an empty one', () => {
    expect(subjectOf({ fields: ['email'], redacted: null }, registered, 'u-9')).toBe('u-9');
    expect(subjectOf({ fields: ['email'], subject: 'userId', redacted: null }, { userId: 'u-3' }, 's')).toBe(
      'u-3',
    );
    expect(() => subjectOf({ fields: ['email'], subject: 'userId', redacted: null }, {}, 's')).toThrow(
      /subject field "userId" must be a non-empty string/,
    );
  });

  it('seals a snapshot state under every subject, unreadable once any one is forgotten', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const sealed = sealState(
      { context: { email: 'ada@example.com' } },
      new Map([
        ['u-1', a],
        ['u-2', b],
      ]),
    );
    expect(JSON.stringify(sealed)).not.toContain('ada@example.com');
    const both = { ...storedKeys('u-1', a), ...storedKeys('u-2', b) };
    expect(openState(sealed, both, () => keyring)).toEqual({
      status: 'read',
      state: { context: { email: 'ada@example.com' } },
    });
    expect(openState(sealed, storedKeys('u-1', a), () => keyring)).toEqual({ status: 'unreadable' });
    expect(openState({ plain: true }, null, () => keyring)).toEqual({
      status: 'read',
      state: { plain: true },
    });
  });
});

describe('key-encryption keys', () => {
  it('unwraps with a retired key after a rotation, and wraps with the current one', () => {
    const old = createKeyring({ current: k1, retired: [] });
    const dataKey = randomBytes(32);
    const wrapped = old.wrap('u-1', dataKey);
    const rotated = createKeyring({ current: kek('k2'), retired: [k1] });
    expect(rotated.unwrap('u-1', wrapped)).toEqual(dataKey);
    expect(rotated.wrap('u-1', dataKey).kekId).toBe('k2');
  });

  it('says which key is wrong or missing, never showing a key', () => {
    const wrapped = keyring.wrap('u-1', randomBytes(32));
    const wrong = createKeyring({ current: { id: 'k1', key: randomBytes(32) }, retired: [] });
    expect(() => wrong.unwrap('u-1', wrapped)).toThrow(/key-encryption key "k1" does not open/);
    const other = createKeyring({ current: kek('k9'), retired: [] });
    expect(() => other.unwrap('u-1', wrapped)).toThrow(/"k1", which neither CHRONICLE_KEK nor/);
    expect(() => wrong.verifyCheckValue('k1', keyring.checkValue('k1'))).toThrow(/does not open/);
    expect(() => keyring.verifyCheckValue('k1', keyring.checkValue('k1'))).not.toThrow();
  });

  it('reads CHRONICLE_KEK and CHRONICLE_KEK_RETIRED, refusing malformed ones by name', () => {
    const b64 = randomBytes(32).toString('base64');
    expect(keyEncryptionKeysFromEnv({})).toBeUndefined();
    const keys = keyEncryptionKeysFromEnv({ CHRONICLE_KEK: `k2:${b64}`, CHRONICLE_KEK_RETIRED: `k1:${b64}` });
    expect(keys?.current.id).toBe('k2');
    expect(keys?.retired.map(({ id }) => id)).toEqual(['k1']);
    expect(() => keyEncryptionKeysFromEnv({ CHRONICLE_KEK: b64 })).toThrow(
      /CHRONICLE_KEK must be <id>:<base64/,
    );
    expect(() => keyEncryptionKeysFromEnv({ CHRONICLE_KEK: 'k1:c2hvcnQ=' })).toThrow(
      /key "k1" must be 32 bytes .* got 5 bytes/,
    );
    expect(() => keyEncryptionKeysFromEnv({ CHRONICLE_KEK_RETIRED: `k1:${b64}` })).toThrow(
      /CHRONICLE_KEK_RETIRED is set but CHRONICLE_KEK is not/,
    );
    expect(() =>
      keyEncryptionKeysFromEnv({ CHRONICLE_KEK: `k1:${b64}`, CHRONICLE_KEK_RETIRED: `k1:${b64}` }),
    ).toThrow(/"k1" is listed twice/);
  });
});

describe('declaring personal data', () => {
  type Registered = { userId: string; email: string; visits: number };

  it('is typed by the current data, and checked', () => {
    const versions = eventVersions<Registered>().personal({ subject: 'userId', fields: ['email'] });
    expect(versions.personalData).toEqual({ subject: 'userId', fields: ['email'], redacted: null });
    // @ts-expect-error: no such field
    eventVersions<Registered>().personal({ fields: ['phone'] });
    // @ts-expect-error: a subject id is a string field
    eventVersions<Registered>().personal({ subject: 'visits', fields: ['email'] });
    expect(() => eventVersions<Registered>().personal({ subject: 'email', fields: ['email'] })).toThrow(
      /makes its subject field "email" personal/,
    );
    expect(() => versions.upcast((data) => data)).toThrow(/declare personal after the last upcast/);
  });
});
