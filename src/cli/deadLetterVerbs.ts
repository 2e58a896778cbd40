import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Queue } from 'bullmq';
import { ShardQueues } from '../commands/index.js';
import { type ChronicleConfig, loadConfig } from '../config/index.js';
import {
  deadLettersOfEvent,
  dropSubscriptionDeadLetter,
  listSubscriptionDeadLetters,
  requestDeadLetterRetry,
} from '../eventStore/index.js';
import {
  type DeadLetterDrop,
  type DeadLetterRetry,
  dropDeadLetter,
  listDeadLetters,
  retryDeadLetter,
} from '../http/deadLetters.js';
import { openRedis } from '../services/index.js';
import { CliUsageError, EXIT, printError, printJson } from './cliOutput.js';
import { withOrm } from './withOrm.js';

export const deadLetterUsage = `  dead-letters list [--limit N]             failed commands and events parked by projections, one JSON line each
  dead-letters retry <commandId|eventId>    run a failed command again / replay a parked event (and its stream's later ones)
  dead-letters drop <commandId|eventId>     give up on it for good`;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The command shard queues for one verb, on a Redis connection of its own, closed whatever happens. */
export const withQueues = async <T>(
  config: ChronicleConfig,
  fn: (queues: readonly Queue[]) => Promise<T>,
) => {
  const connection = openRedis(config, { maxRetriesPerRequest: 1 });
  const shardQueues = new ShardQueues(connection, config.queuePrefix, config.shards);
  try {
    return await fn(await shardQueues.all());
  } finally {
    await shardQueues.close();
    connection.disconnect();
  }
};

/** Follows a requested replay until the worker of its partition ran it (or `waitMs` passed). */
const followReplay = async (config: ChronicleConfig, eventId: string, waitMs: number) =>
  withOrm(config, async (orm) => {
    const knex = orm.em.getKnex();
    const subscriptions = await requestDeadLetterRetry(knex, eventId);
    if (subscriptions.length === 0) return undefined;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const left = await deadLettersOfEvent(knex, eventId);
      if (left.length === 0) return { status: 'replayed', eventId, subscriptions };
      if (left.every((letter) => !letter.retryRequested))
        return { status: 'parked-again', eventId, deadLetters: left };
      // no worker runs its partition (or it is busy): it replays when one does
      if (Date.now() > deadline) return { status: 'requested', eventId, subscriptions };
      await sleep(250);
    }
  });

/** `chronicle dead-letters list|retry|drop`: the command queues' failed sets and the projections' parked events. */
export const deadLetterVerbs = (): Record<string, (args: string[]) => Promise<number>> => ({
  'dead-letters': async (args) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { limit: { type: 'string' }, 'wait-ms': { type: 'string' } },
    });
    const [action, id] = positionals;
    const config = loadConfig();
    if (action === 'list') {
      const limit = values.limit ? Number(values.limit) : 100;
      if (!Number.isInteger(limit) || limit < 1)
        throw new CliUsageError('--limit must be a positive integer');
      const commands = await withQueues(config, (queues) => listDeadLetters(queues, limit));
      for (const letter of commands) printJson({ kind: 'command', ...letter });
      const parked = await withOrm(config, (orm) => listSubscriptionDeadLetters(orm.em.getKnex(), limit));
      for (const letter of parked) printJson({ kind: 'event', ...letter });
      return EXIT.ok;
    }
    if ((action === 'retry' || action === 'drop') && id) {
      const command = await withQueues<DeadLetterRetry | DeadLetterDrop>(config, (queues) =>
        action === 'retry' ? retryDeadLetter(queues, id) : dropDeadLetter(queues, id),
      );
      if (command.status !== 'not-found') {
        printJson({ kind: 'command', ...command });
        return command.status === 'not-failed' ? EXIT.rejected : EXIT.ok;
      }
      if (uuid.test(id)) {
        if (action === 'drop') {
          const left = await withOrm(config, (orm) => dropSubscriptionDeadLetter(orm.em.getKnex(), id));
          if (left.length > 0) {
            printJson({ kind: 'event', status: 'dropped', eventId: id, subscriptions: left });
            return EXIT.ok;
          }
        } else {
          const waitMs = values['wait-ms'] ? Number(values['wait-ms']) : 30_000;
          const replay = await followReplay(config, id, waitMs);
          if (replay) {
            printJson({ kind: 'event', ...replay });
            return replay.status === 'parked-again' ? EXIT.error : EXIT.ok;
          }
        }
      }
      printError(`no dead letter "${id}" (neither a failed command nor a parked event)`);
      return EXIT.rejected;
    }
    throw new CliUsageError(
      'dead-letters list [--limit N] | dead-letters retry <id> | dead-letters drop <id>',
    );
  },
});
