import { ChronicleError } from '../errors/index.js';
import { probeService, serviceAddress } from './probeService.js';
import { type ServiceName, ServiceUnreachableError, type Unreachable } from './serviceUnreachable.js';

/** The URL of each service, as the configuration holds them (a `ChronicleConfig` is one). */
export type ServiceUrls = {
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
  /** When set, Redis is probed at the first cluster node instead of redisUrl. */
  readonly redisClusterNodes?: readonly { readonly host: string; readonly port: number }[] | undefined;
  /** Default: CHRONICLE_NATS_URL's default, nats://127.0.0.1:4222. */
  readonly natsUrl?: string;
};

const required = (url: string | undefined, service: ServiceName): string => {
  if (url === undefined)
    throw new ChronicleError('CONFIGURATION', `requireServices: no URL given for ${service}`);
  return url;
};

const urlOf = (urls: ServiceUrls, service: ServiceName): string => {
  switch (service) {
    case 'postgres':
      return required(urls.databaseUrl, service);
    case 'redis': {
      const node = urls.redisClusterNodes?.[0];
      return node
        ? `redis://${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`
        : required(urls.redisUrl, service);
    }
    case 'nats':
      return urls.natsUrl ?? 'nats://127.0.0.1:4222';
    default: {
      const unknown: never = service;
      throw new ChronicleError('INVARIANT', `unknown service ${String(unknown)}`);
    }
  }
};

/** The services among `services` that do not answer (probed in parallel). */
export const findUnreachable = async (
  urls: ServiceUrls,
  services: readonly ServiceName[],
): Promise<Unreachable[]> => {
  const probed = await Promise.all(
    services.map(async (service) => {
      const url = urlOf(urls, service);
      return { service, ...serviceAddress(service, url), reachable: await probeService(service, url) };
    }),
  );
  return probed
    .filter((probe) => !probe.reachable)
    .map(({ service, host, port }) => ({ service, host, port }));
};

/**
 * Checks, before an entry point starts any work, that the services it needs answer; otherwise
 * throws a `ServiceUnreachableError` whose message is the one line to show (no stack trace).
 *
 * @example
 * await requireServices(loadConfig(), ['postgres', 'redis']);
 */
export const requireServices = async (urls: ServiceUrls, services: readonly ServiceName[]): Promise<void> => {
  const unreachable = await findUnreachable(urls, services);
  if (unreachable.length > 0) throw new ServiceUnreachableError(unreachable);
};
