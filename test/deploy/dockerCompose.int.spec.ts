import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { validatePodEnvironment } from '../support/podEnvironment.js';
import { repoRoot } from '../support/processes.js';

type Service = {
  readonly image?: string;
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
};

const compose = parse(readFileSync(`${repoRoot}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

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

  it('runs Redis as BullMQ needs it: AOF fsynced every second, no eviction, data on a volume', () => {
    const redis = compose.services.redis as Service & { volumes?: string[] };
    const args = (redis.command ?? []).join(' ');
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--appendfsync everysec');
    expect(args).toContain('--maxmemory-policy noeviction');
    expect(redis.volumes?.some((volume) => volume.endsWith(':/data'))).toBe(true);
  });
});
