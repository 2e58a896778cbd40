import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsServersOf } from './connectNats.js';
import { natsConnectOptions } from './natsConnectOptions.js';

describe('the login part of a NATS connection', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chronicle-nats-login-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('signs with the user seed a file holds', async () => {
    const user = nkeys.createUser();
    const seedFile = join(dir, 'user.nk');
    await writeFile(seedFile, `${new TextDecoder().decode(user.getSeed())}\n`);
    const { authenticator } = await natsConnectOptions({ credentials: { kind: 'nkey', seedFile } });
    if (typeof authenticator !== 'function') throw new Error('expected one authenticator');
    expect(authenticator('nonce')).toMatchObject({ nkey: user.getPublicKey() });
  });

  it('names the setting when a file cannot be read or holds something else', async () => {
    await expect(
      natsConnectOptions({ credentials: { kind: 'nkey', seedFile: join(dir, 'missing') } }),
    ).rejects.toThrow(/^CHRONICLE_NATS_NKEY_SEED_FILE: cannot read .*missing/);
    const publicKey = join(dir, 'public.nk');
    await writeFile(publicKey, nkeys.createUser().getPublicKey());
    await expect(natsConnectOptions({ credentials: { kind: 'nkey', seedFile: publicKey } })).rejects.toThrow(
      /holds no user NKey seed/,
    );
    await expect(
      natsConnectOptions({ credentials: { kind: 'creds', credsFile: publicKey } }),
    ).rejects.toThrow(/CHRONICLE_NATS_CREDS_FILE: .* is not a creds file/);
    await expect(
      natsConnectOptions({ credentials: { kind: 'none' }, tls: { caFile: join(dir, 'ca.pem') } }),
    ).rejects.toThrow(/^CHRONICLE_NATS_TLS_CA_FILE: cannot read/);
  });

  it('passes TLS files on, and logs in with nothing when no credentials are set', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, 'pem');
    expect(await natsConnectOptions({ credentials: { kind: 'none' }, tls: { caFile } })).toEqual({
      tls: { caFile },
    });
  });

  it('names the servers of a URL without the user and password it may hold', () => {
    expect(natsServersOf('nats://bridge:s3cret@nats-a:4222,nats://tok@nats-b:4222')).toBe(
      'nats://nats-a:4222,nats://nats-b:4222',
    );
  });
});
