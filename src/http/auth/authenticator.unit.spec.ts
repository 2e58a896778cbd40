import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseApiKeys } from '../../config/index.js';

import { createAuthenticator } from './authenticator.js';
import { allows, canSend, type Principal } from './principal.js';

const secret = 'a-test-secret-of-enough-length-000000';
const authenticator = createAuthenticator({
  apiKeys: parseApiKeys(JSON.stringify([{ key: 'reader-key-0123456789', roles: ['read'], name: 'reader' }])),
  jwt: { secret, issuer: 'tests' },
});

const token = (claims: Record<string, unknown>, options: { issuer?: string; expires?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('svc-1')
    .setIssuer(options.issuer ?? 'tests')
    .setExpirationTime(options.expires ?? '5m')
    .sign(new TextEncoder().encode(secret));

const principal = (roles: string[]): Principal => ({ id: 'p', via: 'api-key', roles });

describe('authenticator', () => {
  it('knows API keys and no others', async () => {
    expect(await authenticator.authenticate({ 'x-api-key': 'reader-key-0123456789' })).toEqual({
      status: 'authenticated',
      principal: { id: 'key:reader', via: 'api-key', roles: ['read'] },
    });
    expect((await authenticator.authenticate({ 'x-api-key': 'nope' })).status).toBe('rejected');
    expect((await authenticator.authenticate({})).status).toBe('anonymous');
  });

  it('verifies HS256 bearer tokens and reads their roles claim', async () => {
    const state = await authenticator.authenticate({
      authorization: `Bearer ${await token({ roles: ['admin'] })}`,
    });
    expect(state).toEqual({
      status: 'authenticated',
      principal: { id: 'jwt:svc-1', via: 'jwt', roles: ['admin'] },
    });
    const spaced = await authenticator.authenticate({
      authorization: `Bearer ${await token({ roles: 'read commands:send' })}`,
    });
    expect(spaced.status === 'authenticated' && spaced.principal.roles).toEqual(['read', 'commands:send']);
  });

  it('refuses expired tokens, other issuers and unsigned ones', async () => {
    const expired = await token({ roles: ['read'] }, { expires: '-1m' });
    expect((await authenticator.authenticate({ authorization: `Bearer ${expired}` })).status).toBe(
      'rejected',
    );
    const foreign = await token({ roles: ['read'] }, { issuer: 'elsewhere' });
    expect((await authenticator.authenticate({ authorization: `Bearer ${foreign}` })).status).toBe(
      'rejected',
    );
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","roles":["admin"]}').toString('base64url')}.`;
    expect((await authenticator.authenticate({ authorization: `Bearer ${unsigned}` })).status).toBe(
      'rejected',
    );
    expect((await authenticator.authenticate({ authorization: 'Basic abc' })).status).toBe('rejected');
  });

  it('refuses tokens without exp, and secrets under 32 bytes', async () => {
    const forever = await new SignJWT({ roles: ['read'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('svc-1')
      .setIssuer('tests')
      .sign(new TextEncoder().encode(secret));
    expect(await authenticator.authenticate({ authorization: `Bearer ${forever}` })).toEqual({
      status: 'rejected',
      message: expect.stringMatching(/"exp" claim/),
    });
    expect(() => createAuthenticator({ apiKeys: [], jwt: { secret: 'x'.repeat(31) } })).toThrow(
      /at least 32 bytes/,
    );
  });

  it('refuses a token that expires further ahead than the longest lifetime allowed (default a day)', async () => {
    const rejected = async (jwt: Promise<string>, why: RegExp) =>
      expect(await authenticator.authenticate({ authorization: `Bearer ${await jwt}` })).toEqual({
        status: 'rejected',
        message: expect.stringMatching(why),
      });
    await rejected(token({ roles: ['admin'] }, { expires: '100y' }), /expires .* ahead/);
    // 1e308 seconds: a number JSON holds and no date does
    const unsigned = (payload: object) =>
      new SignJWT(payload as Record<string, unknown>)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(secret));
    await rejected(
      unsigned({ sub: 'svc-1', iss: 'tests', exp: 1e308, roles: ['admin'] }),
      /expires .* ahead/,
    );
    expect(
      (await authenticator.authenticate({ authorization: `Bearer ${await token({}, { expires: '23h' })}` }))
        .status,
    ).toBe('authenticated');
    const hourly = createAuthenticator({
      apiKeys: [],
      jwt: { secret, issuer: 'tests', maxLifetimeSeconds: 3_600 },
    });
    expect(
      (await hourly.authenticate({ authorization: `Bearer ${await token({}, { expires: '2h' })}` })).status,
    ).toBe('rejected');
    expect(
      (await hourly.authenticate({ authorization: `Bearer ${await token({}, { expires: '59m' })}` })).status,
    ).toBe('authenticated');
  });

  it('refuses a subject too long, or with characters a principal id may not hold', async () => {
    const withSubject = (sub: string) =>
      new SignJWT({ roles: ['read'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuer('tests')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
    for (const sub of ['x'.repeat(201), 'a\u0000b', 'line\nbreak', 'spa ce', 'ünï', '']) {
      const state = await authenticator.authenticate({ authorization: `Bearer ${await withSubject(sub)}` });
      expect(state, JSON.stringify(sub)).toEqual({
        status: 'rejected',
        message: expect.stringMatching(/sub/),
      });
    }
    for (const sub of [
      'x'.repeat(200),
      'auth0|5f7c8ec7',
      'svc@project.iam',
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    ]) {
      const state = await authenticator.authenticate({ authorization: `Bearer ${await withSubject(sub)}` });
      expect(state.status === 'authenticated' && state.principal.id, sub).toBe(`jwt:${sub}`);
    }
  });

  it('refuses malformed key lists without echoing them', () => {
    expect(() => parseApiKeys('[{"key":"short","roles":[],"name":"a"}]')).toThrow(
      /CHRONICLE_API_KEYS: 0.key/,
    );
    expect(() => parseApiKeys('[{"key":"long-enough-key-0000","roles":[]}]')).toThrow(/0.name/);
    const twins = JSON.stringify([
      { key: 'long-enough-key-0001', roles: [], name: 'twin' },
      { key: 'long-enough-key-0002', roles: [], name: 'twin' },
    ]);
    expect(() => parseApiKeys(twins)).toThrow(/its own name/);
    expect(() => parseApiKeys('{')).toThrow(/not valid JSON/);
  });
});

describe('roles', () => {
  it('limits commands:send:<type> to that type', () => {
    expect(canSend(principal(['commands:send:order']), 'order')).toBe(true);
    expect(canSend(principal(['commands:send:order']), 'payment')).toBe(false);
    expect(canSend(principal(['commands:send']), 'payment')).toBe(true);
    expect(canSend(principal(['read']), 'order')).toBe(false);
  });

  it('lets admin through every door and read only through reading ones', () => {
    expect(allows('admin', principal(['admin']))).toBe(true);
    expect(allows('read', principal(['admin']))).toBe(true);
    expect(allows('admin', principal(['read']))).toBe(false);
    expect(allows('read-or-send', principal(['commands:send:order']))).toBe(true);
  });
});
