import { describe, expect, it } from 'vitest';
import { serviceAddress } from './probeService.js';
import { ServiceUnreachableError, unreachableMessage } from './serviceUnreachable.js';

describe('the unreachable-service message', () => {
  it('names the service, its address, the variable that sets it and what to run, in one line', () => {
    const message = unreachableMessage([{ service: 'postgres', host: '127.0.0.1', port: 5433 }]);
    expect(message).toBe(
      'PostgreSQL at 127.0.0.1:5433 (DATABASE_URL) is not reachable. Start it: docker compose -f docker-compose.dev.yml up -d postgres (or a local server: sudo service postgresql start)',
    );
    expect(message).not.toContain('\n');
  });

  it('names every unreachable service and starts them with one compose command', () => {
    const message = unreachableMessage([
      { service: 'redis', host: 'cache', port: 6380 },
      { service: 'nats', host: '127.0.0.1', port: 4223 },
    ]);
    expect(message).toContain(
      'Redis at cache:6380 (REDIS_URL) and NATS at 127.0.0.1:4223 (CHRONICLE_NATS_URL) are',
    );
    expect(message).toContain('docker compose -f docker-compose.dev.yml up -d redis nats');
    expect(message).toContain('redis-server --port 6380; nats-server -js -p 4223');
  });

  it('is a Chronicle error with code SERVICE_UNREACHABLE carrying the services', () => {
    const error = new ServiceUnreachableError([{ service: 'redis', host: 'h', port: 1 }]);
    expect(error.code).toBe('SERVICE_UNREACHABLE');
    expect(error.services).toEqual([{ service: 'redis', host: 'h', port: 1 }]);
  });
});

describe('serviceAddress', () => {
  it('fills in each service default port', () => {
    expect(serviceAddress('postgres', 'postgres://u@db/x')).toEqual({ host: 'db', port: 5432 });
    expect(serviceAddress('redis', 'redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(serviceAddress('nats', 'nats://n1')).toEqual({ host: 'n1', port: 4222 });
  });

  it('reads the first of several NATS servers, with or without a scheme', () => {
    expect(serviceAddress('nats', 'n1:4300, nats://n2:4301')).toEqual({ host: 'n1', port: 4300 });
  });

  it('unwraps IPv6 hosts', () => {
    expect(serviceAddress('redis', 'redis://[::1]:6390')).toEqual({ host: '::1', port: 6390 });
  });
});
