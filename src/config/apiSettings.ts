import { type ApiKeyEntry, parseApiKeys } from './apiKeys.js';
import { type HttpTimeouts, httpTimeoutsFromEnv } from './httpTimeouts.js';
import { hostFromEnv } from './podSettings.js';
import { intSetting, portSetting } from './settingValues.js';

export type JwtSettings = {
  /** HS256 shared secret (CHRONICLE_JWT_SECRET). */
  readonly secret?: string;
  /** JWKS URL for asymmetric keys (CHRONICLE_JWKS_URL). */
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
  /**
   * The furthest ahead a token's `exp` may be, in seconds (CHRONICLE_JWT_MAX_LIFETIME_S): a token
   * valid for longer is refused, however well signed. Default `DEFAULT_JWT_MAX_LIFETIME_S`, a day.
   */
  readonly maxLifetimeSeconds?: number;
};

export const DEFAULT_JWT_MAX_LIFETIME_S = 86_400;

export type AuthSettings = { readonly apiKeys: readonly ApiKeyEntry[]; readonly jwt: JwtSettings };

/** How the API pod behaves; `apiSettingsFromEnv` reads it, tests build it directly. */
export type ApiSettings = {
  /** PORT (0 = any free port). Default 8080. */
  readonly port: number;
  /** HOST. Default 0.0.0.0. */
  readonly host: string;
  readonly auth: AuthSettings;
  /** Headers, whole request and keep-alive timeouts; default `defaultHttpTimeouts`. */
  readonly timeouts?: HttpTimeouts;
  /** Requests per principal (or per address, before sign-in) per window. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  /** `?wait=true` waits at most this long (default 10 s), and no caller may ask for more than the cap. */
  readonly commandWait: { readonly defaultMs: number; readonly maxMs: number };
  /** Live streams: a comment line this often keeps proxies from closing idle ones; caps per pod and per caller. */
  readonly stream: {
    readonly heartbeatMs: number;
    readonly pollMs: number;
    readonly maxConnections: number;
    /** No one caller may hold more of this pod's live streams than this. */
    readonly maxPerPrincipal: number;
  };
};

/**
 * PORT, HOST, CHRONICLE_API_KEYS, CHRONICLE_JWT_SECRET, CHRONICLE_JWKS_URL, CHRONICLE_JWT_ISSUER,
 * CHRONICLE_JWT_AUDIENCE, CHRONICLE_JWT_MAX_LIFETIME_S, CHRONICLE_RATE_LIMIT_MAX, CHRONICLE_RATE_LIMIT_WINDOW_MS,
 * CHRONICLE_COMMAND_WAIT_MS, CHRONICLE_COMMAND_WAIT_MAX_MS, CHRONICLE_STREAM_HEARTBEAT_MS,
 * CHRONICLE_STREAM_POLL_MS, CHRONICLE_STREAM_MAX_CONNECTIONS, CHRONICLE_STREAM_MAX_PER_PRINCIPAL (see docs/http-api.md).
 */
export const apiSettingsFromEnv = (env: NodeJS.ProcessEnv = process.env): ApiSettings => {
  const int = (name: string, fallback: number) => intSetting(name, env[name], fallback);
  const port = portSetting('PORT', env.PORT, 8080);
  const maxWaitMs = int('CHRONICLE_COMMAND_WAIT_MAX_MS', 30_000);
  const maxConnections = int('CHRONICLE_STREAM_MAX_CONNECTIONS', 200);
  return {
    port,
    host: hostFromEnv(env),
    timeouts: httpTimeoutsFromEnv(env),
    auth: {
      apiKeys: parseApiKeys(env.CHRONICLE_API_KEYS),
      jwt: {
        ...(env.CHRONICLE_JWT_SECRET ? { secret: env.CHRONICLE_JWT_SECRET } : {}),
        ...(env.CHRONICLE_JWKS_URL ? { jwksUrl: env.CHRONICLE_JWKS_URL } : {}),
        ...(env.CHRONICLE_JWT_ISSUER ? { issuer: env.CHRONICLE_JWT_ISSUER } : {}),
        ...(env.CHRONICLE_JWT_AUDIENCE ? { audience: env.CHRONICLE_JWT_AUDIENCE } : {}),
        maxLifetimeSeconds: int('CHRONICLE_JWT_MAX_LIFETIME_S', DEFAULT_JWT_MAX_LIFETIME_S),
      },
    },
    rateLimit: {
      max: int('CHRONICLE_RATE_LIMIT_MAX', 600),
      windowMs: int('CHRONICLE_RATE_LIMIT_WINDOW_MS', 60_000),
    },
    commandWait: {
      defaultMs: Math.min(maxWaitMs, int('CHRONICLE_COMMAND_WAIT_MS', 10_000)),
      maxMs: maxWaitMs,
    },
    stream: {
      heartbeatMs: int('CHRONICLE_STREAM_HEARTBEAT_MS', 15_000),
      pollMs: int('CHRONICLE_STREAM_POLL_MS', 1_000),
      maxConnections,
      maxPerPrincipal: Math.min(maxConnections, int('CHRONICLE_STREAM_MAX_PER_PRINCIPAL', 20)),
    },
  };
};
