import { ChronicleError } from '../errors/index.js';
import { anonymousNatsAccess, loadNatsAccess, type NatsAccess } from './natsAccess.js';
import { type NatsSender, parseNatsSenders } from './natsSenders.js';
import { positiveInt } from './settingValues.js';

/** How the NATS pod reaches JetStream and what it publishes (docs/nats.md). */
export type NatsConfig = {
  readonly url: string;
  /** How the pod logs in (user and password, token, NKey or creds file) and its TLS. */
  readonly access: NatsAccess;
  /** The NATS users whose commands are taken, with their roles; none: every command is refused. */
  readonly senders: readonly NatsSender[];
  /** The JetStream stream the events go to; created (subjects `<prefix>.events.>`) when missing. */
  readonly stream: string;
  /** First subject token(s): events on `<prefix>.events.…`, commands on `<prefix>.commands.…`. */
  readonly subjectPrefix: string;
  /** Event types published; undefined = all. */
  readonly eventTypes?: readonly string[];
  /** Partitions of the outbox subscription: nats pods share them like projection pods. */
  readonly partitions: number;
  /** Streams of one batch published at once (each stream's events stay in version order). */
  readonly publishConcurrency: number;
  /** JetStream's duplicate window for a stream we create: a re-publish within it is dropped. */
  readonly duplicateWindowMs: number;
  /** How long a command request waits for its result before answering `enqueued`. */
  readonly commandWaitMs: number;
  /** How often the outbox lag gauges (/metrics) are refreshed. */
  readonly lagEveryMs: number;
};

export const defaultNatsConfig: NatsConfig = {
  url: 'nats://127.0.0.1:4222',
  access: anonymousNatsAccess,
  senders: [],
  stream: 'CHRONICLE_EVENTS',
  subjectPrefix: 'chronicle',
  partitions: 4,
  publishConcurrency: 64,
  duplicateWindowMs: 600_000,
  commandWaitMs: 10_000,
  lagEveryMs: 10_000,
};

const streamName = /^[A-Za-z0-9_-]{1,64}$/;
const subjectPrefix = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const matching = (name: string, raw: string | undefined, pattern: RegExp, fallback: string): string => {
  if (raw === undefined || raw === '') return fallback;
  if (!pattern.test(raw))
    throw new ChronicleError('CONFIGURATION', `${name} must match ${pattern}, got "${raw}"`);
  return raw;
};

/**
 * Reads CHRONICLE_NATS_{URL, SENDERS (JSON), STREAM, SUBJECT_PREFIX, EVENT_TYPES (comma list), PARTITIONS,
 * PUBLISH_CONCURRENCY, DUPLICATE_WINDOW_MS, COMMAND_WAIT_MS, LAG_MS} and the credentials
 * (loadNatsAccess); unset keeps the default.
 */
export const loadNatsConfig = (env: NodeJS.ProcessEnv = process.env): NatsConfig => {
  const types = env.CHRONICLE_NATS_EVENT_TYPES?.split(',')
    .map((type) => type.trim())
    .filter((type) => type.length > 0);
  const int = (suffix: string, fallback: number) =>
    positiveInt(`CHRONICLE_NATS_${suffix}`, env[`CHRONICLE_NATS_${suffix}`], fallback);
  return {
    url: env.CHRONICLE_NATS_URL || defaultNatsConfig.url,
    access: loadNatsAccess(env),
    senders: parseNatsSenders(env.CHRONICLE_NATS_SENDERS),
    stream: matching(
      'CHRONICLE_NATS_STREAM',
      env.CHRONICLE_NATS_STREAM,
      streamName,
      defaultNatsConfig.stream,
    ),
    subjectPrefix: matching(
      'CHRONICLE_NATS_SUBJECT_PREFIX',
      env.CHRONICLE_NATS_SUBJECT_PREFIX,
      subjectPrefix,
      defaultNatsConfig.subjectPrefix,
    ),
    ...(types && types.length > 0 ? { eventTypes: types } : {}),
    partitions: int('PARTITIONS', defaultNatsConfig.partitions),
    publishConcurrency: int('PUBLISH_CONCURRENCY', defaultNatsConfig.publishConcurrency),
    duplicateWindowMs: int('DUPLICATE_WINDOW_MS', defaultNatsConfig.duplicateWindowMs),
    commandWaitMs: int('COMMAND_WAIT_MS', defaultNatsConfig.commandWaitMs),
    lagEveryMs: int('LAG_MS', defaultNatsConfig.lagEveryMs),
  };
};
