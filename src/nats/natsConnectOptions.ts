import { access, readFile } from 'node:fs/promises';
import {
  type ConnectionOptions,
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
} from '@nats-io/transport-node';
import type { NatsAccess, NatsTls } from '../config/index.js';
import { ChronicleError } from '../errors/index.js';

const readSetting = async (name: string, file: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ChronicleError('CONFIGURATION', `${name}: cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
};

const readable = async (name: string, file: string | undefined): Promise<void> => {
  if (file === undefined) return;
  await access(file).catch((error: Error) => {
    throw new ChronicleError('CONFIGURATION', `${name}: cannot read ${file}: ${error.message}`, {
      cause: error,
    });
  });
};

const authenticator = async (
  credentials: NatsAccess['credentials'],
): Promise<ConnectionOptions['authenticator']> => {
  switch (credentials.kind) {
    case 'none':
      return undefined;
    case 'password':
      return usernamePasswordAuthenticator(credentials.user, credentials.password);
    case 'token':
      return tokenAuthenticator(credentials.token);
    case 'nkey': {
      const seed = (await readSetting('CHRONICLE_NATS_NKEY_SEED_FILE', credentials.seedFile)).trim();
      // a user seed: anything else (an account seed, a public key) would fail at every connect
      if (!/^SU[A-Z2-7]+$/.test(seed))
        throw new ChronicleError(
          'CONFIGURATION',
          `CHRONICLE_NATS_NKEY_SEED_FILE: ${credentials.seedFile} holds no user NKey seed (SU…)`,
        );
      return nkeyAuthenticator(new TextEncoder().encode(seed));
    }
    case 'creds': {
      const creds = await readSetting('CHRONICLE_NATS_CREDS_FILE', credentials.credsFile);
      if (!creds.includes('BEGIN NATS USER JWT') || !creds.includes('BEGIN USER NKEY SEED'))
        throw new ChronicleError(
          'CONFIGURATION',
          `CHRONICLE_NATS_CREDS_FILE: ${credentials.credsFile} is not a creds file (a user JWT and its seed)`,
        );
      return credsAuthenticator(new TextEncoder().encode(creds));
    }
    default:
      return credentials satisfies never;
  }
};

const tlsOptions = async (tls: NatsTls): Promise<NonNullable<ConnectionOptions['tls']>> => {
  await readable('CHRONICLE_NATS_TLS_CA_FILE', tls.caFile);
  await readable('CHRONICLE_NATS_TLS_CERT_FILE', tls.certFile);
  await readable('CHRONICLE_NATS_TLS_KEY_FILE', tls.keyFile);
  return { ...tls };
};

/**
 * The login and TLS part of a NATS connection, from the pod's settings: reads the seed or creds
 * file and checks that the TLS files can be read, so a wrong path stops the pod naming the setting.
 */
export const natsConnectOptions = async (
  natsAccess: NatsAccess,
): Promise<Pick<ConnectionOptions, 'authenticator' | 'tls'>> => {
  const login = await authenticator(natsAccess.credentials);
  return {
    ...(login ? { authenticator: login } : {}),
    ...(natsAccess.tls ? { tls: await tlsOptions(natsAccess.tls) } : {}),
  };
};
