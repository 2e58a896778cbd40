import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { grpcSettingsFromEnv, loadNatsConfig } from '../../src/config/index.js';
import { validatePodEnvironment } from '../support/podEnvironment.js';
import { repoRoot } from '../support/processes.js';

type Service = {
  readonly image?: string;
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
};

type Compose = { services: Record<string, Service> };

/** A .env file as compose reads it: NAME=value lines, a value optionally in single or double quotes. */
const parseEnvFile = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim()))
      .filter((match) => match !== null)
      .map(([, name, raw = '']) => [name, /^(['"]).*\1$/.test(raw) ? raw.slice(1, -1) : raw]),
  );

const exampleEnv = parseEnvFile(readFileSync(`${repoRoot}.env.example`, 'utf8'));

/** The variables the text interpolates, and whether compose requires each (`${NAME:?…}`). */
const interpolated = (text: string) =>
  [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[?-][^}]*)?\}/g)].map(([, name, rule]) => ({
    name: name as string,
    required: rule?.startsWith(':?') === true,
  }));

/** Compose's `${NAME}`, `${NAME:?message}` and `${NAME:-default}`, filled from `env`. */
const interpolate = (text: string, env: Readonly<Record<string, string>>): string =>
  text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([?-])([^}]*))?\}/g, (_all, name: string, rule, rest) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (rule === '-') return rest;
    throw new Error(`docker compose would refuse to start: ${name} is not set (${rest ?? ''})`);
  });

const composeText = readFileSync(`${repoRoot}docker-compose.yml`, 'utf8');
/** Interpolates every string of a parsed file, as compose does (after YAML, so values stay strings). */
const interpolateAll = (value: unknown, env: Readonly<Record<string, string>>): unknown => {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, env)]));
  return value;
};

/** docker-compose.yml as compose runs it with .env.example as its .env. */
const compose = interpolateAll(parse(composeText, { merge: true }), exampleEnv) as Compose;
const devCompose = parse(readFileSync(`${repoRoot}docker-compose.dev.yml`, 'utf8')) as Compose;

/** The pod kind a service runs (`worker <kind>`, or `migrate`), when it is a Chronicle image. */
const podKind = (service: Service): string | undefined => {
  if (service.image !== 'chronicle:local') return undefined;
  const [verb, kind] = service.command ?? [];
  return verb === 'worker' ? kind : verb;
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('docker-compose.yml', () => {
  const chronicleServices = Object.entries(compose.services).filter(([, service]) => podKind(service));

  it('runs every pod kind', () => {
    expect(chronicleServices.map(([, service]) => podKind(service)).sort()).toEqual(
      expect.arrayContaining(['api', 'command', 'migrate', 'nats', 'projection', 'snapshot']),
    );
  });

  it.each(chronicleServices)('gives %s an environment its pod accepts at start', (_name, service) => {
    expect(() => validatePodEnvironment(podKind(service) as string, service.environment ?? {})).not.toThrow();
  });

  it('would have caught a key its api pod refuses (the check can fail)', () => {
    const api = compose.services.api?.environment ?? {};
    const shortKey = JSON.stringify([{ key: 'dev-admin-key', name: 'dev', roles: ['admin'] }]);
    expect(() => validatePodEnvironment('api', { ...api, CHRONICLE_API_KEYS: shortKey })).toThrow(
      /16 characters/,
    );
    expect(() => validatePodEnvironment('api', { ...api, CHRONICLE_JWT_SECRET: 'short' })).toThrow(
      /32 bytes/,
    );
  });

  it.each([
    ['docker-compose.yml', compose],
    ['docker-compose.dev.yml', devCompose],
  ])(
    '%s runs Redis as BullMQ needs it: AOF fsynced every second, no eviction, data on a volume',
    (_file, file) => {
      const redis = file.services.redis as Service;
      const args = (redis.command ?? []).join(' ');
      expect(args).toContain('--appendonly yes');
      expect(args).toContain('--appendfsync everysec');
      expect(args).toContain('--maxmemory-policy noeviction');
      expect(redis.volumes?.some((volume) => volume.endsWith(':/data'))).toBe(true);
    },
  );

  it('publishes only the api (HTTP and gRPC) and the Jaeger UI, and those on 127.0.0.1', () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => `${name} ${port}`),
    );
    expect(published.sort()).toEqual([
      'api 127.0.0.1:3000:3000',
      'api 127.0.0.1:50051:50051',
      'jaeger 127.0.0.1:16686:16686',
    ]);
    // the api's own ports: PORT, and GRPC_PORT, which turns its gRPC on
    const api = compose.services.api?.environment ?? {};
    expect(grpcSettingsFromEnv(api)).toMatchObject({ status: 'on', port: 50051 });
    expect(api.PORT).toBe('3000');
    // the development services, for pods run on this machine, are published on loopback alone
    const dev = Object.values(devCompose.services).flatMap((service) => service.ports ?? []);
    expect(dev.length).toBeGreaterThan(0);
    for (const port of dev) expect(port).toMatch(/^127\.0\.0\.1:/);
    // and so is every port of the compose file `chronicle init` writes (a trusting PostgreSQL, a
    // Redis without a password, an api with a demo key)
    const scaffold = parse(readFileSync(`${repoRoot}templates/service/docker-compose.yml`, 'utf8'), {
      merge: true,
    }) as Compose;
    const scaffolded = Object.values(scaffold.services).flatMap((service) => service.ports ?? []);
    expect(scaffolded.length).toBeGreaterThan(0);
    for (const port of scaffolded) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it('takes every password and key from .env, and .env.example names each one', () => {
    const variables = interpolated(composeText);
    expect(variables.every(({ required }) => required)).toBe(true);
    expect([...new Set(variables.map(({ name }) => name))].sort()).toEqual(Object.keys(exampleEnv).sort());
    const raw = parse(composeText, { merge: true }) as Compose;
    const env = raw.services.api?.environment ?? {};
    expect(env.DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
    expect(env.REDIS_URL).toContain('${REDIS_PASSWORD:?');
    expect(env.CHRONICLE_API_KEYS).toMatch(/^\$\{CHRONICLE_API_KEYS:\?/);
    expect(raw.services.postgres?.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    // without a .env, compose refuses to start rather than run with a known password
    expect(() => interpolate(composeText, {})).toThrow(/is not set/);
  });

  it('gives Redis a password, and every pod the URL with it', () => {
    const redis = compose.services.redis as Service;
    const args = redis.command ?? [];
    expect(args[args.indexOf('--requirepass') + 1]).toBe(exampleEnv.REDIS_PASSWORD);
    for (const [name, service] of chronicleServices)
      expect(new URL(service.environment?.REDIS_URL ?? 'redis://none').password, name).toBe(
        exampleEnv.REDIS_PASSWORD,
      );
  });

  it('runs NATS with the shipped permissions, and logs the nats pod in as their bridge user', () => {
    const nats = compose.services.nats as Service;
    const args = nats.command ?? [];
    expect(args[args.indexOf('-c') + 1]).toBe('/etc/nats/nats-server.conf');
    expect(nats.volumes).toContain('./deploy/nats/nats-server.conf:/etc/nats/nats-server.conf:ro');
    const pod = compose.services['nats-worker']?.environment ?? {};
    expect(pod.CHRONICLE_NATS_USER).toBe('chronicle');
    expect(pod.CHRONICLE_NATS_PASSWORD).toBe(nats.environment?.NATS_CHRONICLE_PASSWORD);
    expect(loadNatsConfig(pod).senders.map(({ user }) => user)).toEqual(['shop']);
    // the development file runs it too, beside the open NATS the tests use
    const devNats = devCompose.services['nats-auth'] as Service;
    expect(devNats.volumes).toContain('./deploy/nats/nats-server.conf:/etc/nats/nats-server.conf:ro');
  });
});
