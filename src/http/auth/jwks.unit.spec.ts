import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier, type JwtVerifier } from './jwtVerifier.js';

let close: () => void;
let verify: JwtVerifier;
let sign: (claims: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  // a JWKS endpoint on loopback, as an identity provider would serve it
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  const { port } = server.address() as AddressInfo;
  verify = createJwtVerifier({
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    audience: 'chronicle',
  }) as JwtVerifier;
  sign = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('svc-2')
      .setAudience('chronicle')
      .setExpirationTime('5m')
      .sign(privateKey);
});

afterAll(() => close?.());

describe('JWKS bearer tokens', () => {
  it('verifies tokens signed by a key of the set', async () => {
    expect(await verify(await sign({ roles: ['read'] }))).toEqual({
      status: 'valid',
      principal: { id: 'jwt:svc-2', via: 'jwt', roles: ['read'] },
    });
  });

  it('refuses an HS256 token when only a JWKS is configured', async () => {
    const hs = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setAudience('chronicle')
      .sign(new TextEncoder().encode('guessed-secret-guessed-secret-000'));
    expect((await verify(hs)).status).toBe('invalid');
  });
});
