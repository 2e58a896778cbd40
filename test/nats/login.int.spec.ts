import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsAccess } from '../../src/config/index.js';
import { isChronicleError } from '../../src/errors/index.js';
import { connectNats } from '../../src/nats/index.js';
import { type PrivateNatsServer, startPrivateNatsServer } from '../support/natsServer.js';

/** A CA, and a certificate it signed for `name` (EC keys: quick to make). */
const certificates = (dir: string) => {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=test-ca');
  return async (name: string) => {
    await writeFile(join(dir, `${name}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    openssl(
      ...['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'],
      ...['-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`],
    );
    return { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  };
};

describe('the nats pod logs in with an NKey over TLS with a client certificate', () => {
  let dir: string;
  let nats: PrivateNatsServer;
  let seedFile: string;
  let tls: { caFile: string; certFile: string; keyFile: string };

  beforeAll(async () => {
    // given NATS that takes one NKey user, over TLS, verifying client certificates
    dir = await mkdtemp(join(tmpdir(), 'chronicle-nats-login-'));
    const sign = certificates(dir);
    const server = await sign('server');
    tls = { caFile: join(dir, 'ca.pem'), ...(await sign('client')) };
    const user = nkeys.createUser();
    seedFile = join(dir, 'user.nk');
    await writeFile(seedFile, new TextDecoder().decode(user.getSeed()));
    const config = join(dir, 'nats.conf');
    await writeFile(
      config,
      [
        `tls { cert_file: "${server.certFile}", key_file: "${server.keyFile}", ca_file: "${tls.caFile}", verify: true }`,
        `authorization { users: [ { nkey: ${user.getPublicKey()} } ] }`,
      ].join('\n'),
    );
    nats = await startPrivateNatsServer({ config });
  });
  afterAll(async () => {
    await nats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const connectWith = (access: NatsAccess) =>
    connectNats(nats.url, 'login test', access).then(
      async (nc) => {
        await nc.flush();
        await nc.close();
        return 'connected';
      },
      (error: unknown) => error,
    );

  it('connects with the seed file and the client certificate', async () => {
    expect(await connectWith({ credentials: { kind: 'nkey', seedFile }, tls })).toBe('connected');
  });

  it('is refused with another NKey, a CONFIGURATION error naming the way it logged in', async () => {
    const other = join(dir, 'other.nk');
    await writeFile(other, new TextDecoder().decode(nkeys.createUser().getSeed()));
    const refused = await connectWith({ credentials: { kind: 'nkey', seedFile: other }, tls });
    expect(isChronicleError(refused, 'CONFIGURATION')).toBe(true);
    expect((refused as Error).message).toMatch(/refused the pod's credentials \(nkey\)/);
  });

  it('is refused without a client certificate, and without the CA that signed the server', async () => {
    const noCertificate = await connectWith({
      credentials: { kind: 'nkey', seedFile },
      tls: { caFile: tls.caFile },
    });
    // the server ends the handshake: the client hears nothing more, until its connect timeout
    expect(isChronicleError(noCertificate, 'UNAVAILABLE')).toBe(true);
    const noCa = await connectWith({
      credentials: { kind: 'nkey', seedFile },
      tls: { certFile: tls.certFile, keyFile: tls.keyFile },
    });
    expect(isChronicleError(noCa, 'UNAVAILABLE')).toBe(true);
    expect((noCa as Error).message).toMatch(/unable to verify the first certificate/);
  }, 90_000);
});
