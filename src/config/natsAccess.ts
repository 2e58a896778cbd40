import { ChronicleError } from '../errors/index.js';

/** How the pod logs in to NATS: one way at most (docs/nats.md, "Authentication"). */
export type NatsCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'password'; readonly user: string; readonly password: string }
  | { readonly kind: 'token'; readonly token: string }
  /** A file holding the user's NKey seed (`SU…`): the seed never travels, the server checks a signature. */
  | { readonly kind: 'nkey'; readonly seedFile: string }
  /** A `.creds` file (user JWT and seed), for servers run in operator mode. */
  | { readonly kind: 'creds'; readonly credsFile: string };

/** TLS towards NATS: a CA to trust, and a client certificate when the server verifies clients. */
export type NatsTls = {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
};

export type NatsAccess = {
  readonly credentials: NatsCredentials;
  /** Set: the connection must be TLS. */
  readonly tls?: NatsTls;
};

export const anonymousNatsAccess: NatsAccess = { credentials: { kind: 'none' } };

const refuse = (message: string): never => {
  throw new ChronicleError('CONFIGURATION', message);
};

const credentialsFrom = (env: NodeJS.ProcessEnv): NatsCredentials => {
  const set = (name: string) => (env[name] ? name : undefined);
  const ways = [
    set('CHRONICLE_NATS_USER') ?? set('CHRONICLE_NATS_PASSWORD'),
    set('CHRONICLE_NATS_TOKEN'),
    set('CHRONICLE_NATS_NKEY_SEED_FILE'),
    set('CHRONICLE_NATS_CREDS_FILE'),
  ].filter((name) => name !== undefined);
  if (ways.length > 1) refuse(`NATS credentials: set one way to log in, not ${ways.join(' and ')}`);
  const { CHRONICLE_NATS_USER: user, CHRONICLE_NATS_PASSWORD: password } = env;
  if (user || password) {
    if (!user || !password)
      return refuse('CHRONICLE_NATS_USER and CHRONICLE_NATS_PASSWORD go together: set both or neither');
    return { kind: 'password', user, password };
  }
  if (env.CHRONICLE_NATS_TOKEN) return { kind: 'token', token: env.CHRONICLE_NATS_TOKEN };
  if (env.CHRONICLE_NATS_NKEY_SEED_FILE) return { kind: 'nkey', seedFile: env.CHRONICLE_NATS_NKEY_SEED_FILE };
  if (env.CHRONICLE_NATS_CREDS_FILE) return { kind: 'creds', credsFile: env.CHRONICLE_NATS_CREDS_FILE };
  return { kind: 'none' };
};

const tlsFrom = (env: NodeJS.ProcessEnv): NatsTls | undefined => {
  const {
    CHRONICLE_NATS_TLS_CA_FILE: caFile,
    CHRONICLE_NATS_TLS_CERT_FILE: certFile,
    CHRONICLE_NATS_TLS_KEY_FILE: keyFile,
  } = env;
  if (Boolean(certFile) !== Boolean(keyFile))
    refuse('CHRONICLE_NATS_TLS_CERT_FILE and CHRONICLE_NATS_TLS_KEY_FILE go together: set both or neither');
  if (!caFile && !certFile) return undefined;
  return { ...(caFile ? { caFile } : {}), ...(certFile && keyFile ? { certFile, keyFile } : {}) };
};

/**
 * Reads CHRONICLE_NATS_{USER, PASSWORD} | TOKEN | NKEY_SEED_FILE | CREDS_FILE (one way at most) and
 * CHRONICLE_NATS_TLS_{CA_FILE, CERT_FILE, KEY_FILE}; the files are read when the pod connects.
 */
export const loadNatsAccess = (env: NodeJS.ProcessEnv = process.env): NatsAccess => {
  const tls = tlsFrom(env);
  return { credentials: credentialsFrom(env), ...(tls ? { tls } : {}) };
};
