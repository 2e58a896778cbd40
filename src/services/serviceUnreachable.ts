import { ChronicleError } from '../errors/index.js';

/** The outside services Chronicle talks to. */
export const serviceNames = ['postgres', 'redis', 'nats'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** How each service is named to a person, configured, and started. */
export const serviceInfo: Readonly<
  Record<ServiceName, { label: string; env: string; defaultPort: number; local: (port: number) => string }>
> = {
  postgres: {
    label: 'PostgreSQL',
    env: 'DATABASE_URL',
    defaultPort: 5432,
    local: () => 'sudo service postgresql start',
  },
  redis: {
    label: 'Redis',
    env: 'REDIS_URL',
    defaultPort: 6379,
    local: (port) => `redis-server --port ${port}`,
  },
  nats: {
    label: 'NATS',
    env: 'CHRONICLE_NATS_URL',
    defaultPort: 4222,
    local: (port) => `nats-server -js -p ${port}`,
  },
};

/** A service that did not answer, and where it was looked for. */
export type Unreachable = { readonly service: ServiceName; readonly host: string; readonly port: number };

/**
 * One line for a person: which services did not answer, at which address (and the variable that
 * sets it), and what to run to start them.
 *
 * @example
 * // PostgreSQL is not reachable at 127.0.0.1:5432 (DATABASE_URL). Start it: docker compose -f docker-compose.dev.yml up -d postgres
 * //   (or a local server: sudo service postgresql start)
 */
export const unreachableMessage = (services: readonly Unreachable[]): string => {
  const where = services
    .map(
      ({ service, host, port }) =>
        `${serviceInfo[service].label} at ${host}:${port} (${serviceInfo[service].env})`,
    )
    .join(' and ');
  const compose = `docker compose -f docker-compose.dev.yml up -d ${services.map(({ service }) => service).join(' ')}`;
  const local = services.map(({ service, port }) => serviceInfo[service].local(port)).join('; ');
  const plural = services.length > 1;
  return `${where} ${plural ? 'are' : 'is'} not reachable. Start ${plural ? 'them' : 'it'}: ${compose} (or ${plural ? 'local servers' : 'a local server'}: ${local})`;
};

/** Raised before any work starts when a service an entry point needs does not answer. */
export class ServiceUnreachableError extends ChronicleError {
  override readonly name = 'ServiceUnreachableError';
  constructor(readonly services: readonly Unreachable[]) {
    super('SERVICE_UNREACHABLE', unreachableMessage(services));
  }
}
