import { describe, expect, it } from 'vitest';
import { loadNatsAccess } from './natsAccess.js';
import { parseNatsSenders } from './natsSenders.js';

describe('NATS login settings', () => {
  it('logs in anonymously when nothing is set', () => {
    expect(loadNatsAccess({})).toEqual({ credentials: { kind: 'none' } });
  });

  it('reads one way to log in, and TLS files', () => {
    expect(loadNatsAccess({ CHRONICLE_NATS_USER: 'chronicle', CHRONICLE_NATS_PASSWORD: 's3cret' })).toEqual({
      credentials: { kind: 'password', user: 'chronicle', password: 's3cret' },
    });
    expect(loadNatsAccess({ CHRONICLE_NATS_TOKEN: 't0ken' }).credentials).toEqual({
      kind: 'token',
      token: 't0ken',
    });
    expect(loadNatsAccess({ CHRONICLE_NATS_NKEY_SEED_FILE: '/run/nats/seed' }).credentials).toEqual({
      kind: 'nkey',
      seedFile: '/run/nats/seed',
    });
    expect(loadNatsAccess({ CHRONICLE_NATS_CREDS_FILE: '/run/nats/pod.creds' }).credentials).toEqual({
      kind: 'creds',
      credsFile: '/run/nats/pod.creds',
    });
    expect(
      loadNatsAccess({
        CHRONICLE_NATS_TLS_CA_FILE: '/ca.pem',
        CHRONICLE_NATS_TLS_CERT_FILE: '/cert.pem',
        CHRONICLE_NATS_TLS_KEY_FILE: '/key.pem',
      }).tls,
    ).toEqual({ caFile: '/ca.pem', certFile: '/cert.pem', keyFile: '/key.pem' });
  });

  it('refuses two ways to log in, a user without a password, and a certificate without its key', () => {
    expect(() => loadNatsAccess({ CHRONICLE_NATS_TOKEN: 't', CHRONICLE_NATS_CREDS_FILE: '/c' })).toThrow(
      'NATS credentials: set one way to log in, not CHRONICLE_NATS_TOKEN and CHRONICLE_NATS_CREDS_FILE',
    );
    expect(() => loadNatsAccess({ CHRONICLE_NATS_USER: 'chronicle' })).toThrow(
      /CHRONICLE_NATS_USER and CHRONICLE_NATS_PASSWORD go together/,
    );
    expect(() => loadNatsAccess({ CHRONICLE_NATS_PASSWORD: 'p' })).toThrow(/go together/);
    expect(() => loadNatsAccess({ CHRONICLE_NATS_TLS_CERT_FILE: '/cert.pem' })).toThrow(
      /CHRONICLE_NATS_TLS_CERT_FILE and CHRONICLE_NATS_TLS_KEY_FILE go together/,
    );
  });
});

describe('NATS senders', () => {
  it('reads users and their roles', () => {
    expect(parseNatsSenders('[{"user":"shop","roles":["commands:send:order"]}]')).toEqual([
      { user: 'shop', roles: ['commands:send:order'] },
    ]);
    expect(parseNatsSenders(undefined)).toEqual([]);
  });

  it('refuses what cannot be a subject token, a user twice, and anything malformed', () => {
    expect(() => parseNatsSenders('[{"user":"shop.eu","roles":[]}]')).toThrow(
      /CHRONICLE_NATS_SENDERS: 0.user/,
    );
    expect(() => parseNatsSenders('[{"user":"shop","roles":[]},{"user":"shop","roles":[]}]')).toThrow(
      /each user once/,
    );
    expect(() => parseNatsSenders('[{"user":"shop"}]')).toThrow(/0.roles/);
    expect(() => parseNatsSenders('{')).toThrow('CHRONICLE_NATS_SENDERS is not valid JSON');
  });
});
