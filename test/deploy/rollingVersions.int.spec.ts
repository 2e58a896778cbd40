import type { Knex } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Aggregate } from '../../src/aggregate/index.js';
import type { CommandWorker } from '../../src/commands/index.js';
import { createEventSchemas } from '../../src/eventSchemas/index.js';
import { query } from '../../src/eventStore/index.js';
import type { CommandRequest, CommandResult } from '../../src/messages/index.js';
import { type ProjectionWorker, projectionStatus, runProjectionWorker } from '../../src/projections/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { waitFor } from '../support/waitFor.js';
import { ticketLog, ticketLogTable, ticketV1, ticketV2 } from './support/ticketReleases.js';

/** One pod of a release: its command worker and its projection worker, started and stopped together. */
type Pod = {
  readonly name: string;
  readonly commands: CommandWorker;
  readonly projections: ProjectionWorker;
};

const ticket = (id: string, type: string, payload: unknown = {}): CommandRequest => ({
  aggregateType: 'ticket',
  aggregateId: id,
  type,
  payload,
});

describe('a rolling update from release 1 to release 2 while commands flow', () => {
  let path: CommandPath;
  let knex: Knex;
  const pods: Pod[] = [];
  beforeAll(async () => {
    path = await createCommandPath({ shards: 4 });
    knex = path.db.orm.em.getKnex();
    await knex.raw(ticketLogTable);
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.projections.stop()));
    await path.close();
  });

  const startPod = async (name: string, aggregates: readonly Aggregate[]): Promise<Pod> => {
    const pod = {
      name,
      commands: await path.startWorker({ aggregates }),
      projections: await runProjectionWorker({
        config: path.config,
        projections: [ticketLog],
        aggregates,
        settings: fastSettings(name, { batchSize: 20, leaseTtlMs: 1_500 }),
      }),
    };
    pods.push(pod);
    return pod;
  };
  const stopPod = async (pod: Pod) => {
    await pod.commands.stop();
    await pod.projections.stop();
  };

  // every command of a ticket after the one before it (an aggregate's order), tickets side by side
  const sent: Promise<CommandResult>[] = [];
  const play = (steps: readonly CommandRequest[]) => {
    let previous: Promise<unknown> = Promise.resolve();
    for (const step of steps) {
      const next = previous.then(() => path.client.send(step, { wait: true, timeoutMs: 300_000 }));
      sent.push(next);
      previous = next;
    }
    return previous;
  };
  const notes = (id: string, count: number) =>
    Array.from({ length: count }, (_, n) => ticket(id, 'AddNote', { text: `note ${n}` }));
  /** What release 1's clients send: no priority, no closing. */
  const releaseOneTicket = (id: string) => play([ticket(id, 'OpenTicket', { title: id }), ...notes(id, 4)]);
  /** What release 2's clients send: a priority, notes, and a close. */
  const releaseTwoTicket = (id: string, priority: string) =>
    play([ticket(id, 'OpenTicket', { title: id, priority }), ...notes(id, 3), ticket(id, 'CloseTicket')]);

  // Deadlines guard against a hang, not a timing: many workers on a busy machine.
  it('answers every command once, accepted; projects every event once; leaves no partition failed or waiting', async () => {
    const [oldA, oldB] = [await startPod('v1-a', [ticketV1]), await startPod('v1-b', [ticketV1])];
    const opened = Array.from({ length: 6 }, (_, t) => releaseOneTicket(`old-${t}`));
    const flows: Promise<unknown>[] = [...opened];

    // release 2's pods join while release 1's still take commands; release 2's clients start at once
    await startPod('v2-a', [ticketV2]);
    await startPod('v2-b', [ticketV2]);
    for (let t = 0; t < 6; t++) flows.push(releaseTwoTicket(`new-${t}`, t % 2 ? 'high' : 'low'));
    // tickets release 1 opened, closed by release 2's clients
    for (let t = 0; t < 6; t++)
      flows.push(opened[t]?.then(() => play([ticket(`old-${t}`, 'CloseTicket')])) ?? Promise.resolve());

    // release 1's pods stop one at a time while those commands flow
    await Promise.all(sent.slice(0, 20));
    await stopPod(oldA);
    for (let t = 6; t < 9; t++) flows.push(releaseTwoTicket(`new-${t}`, 'normal'));
    await stopPod(oldB);
    for (let t = 9; t < 12; t++) flows.push(releaseTwoTicket(`new-${t}`, 'high'));
    await Promise.all(flows);
    const results = await Promise.all(sent);

    // every command answered once, and accepted: nothing refused because a pod was older
    expect(results.filter((result) => result.status !== 'accepted')).toEqual([]);
    const [ledger] = await query<{ commands: number; rejected: number }>(
      knex,
      `select count(*)::int as commands, count(*) filter (where status = 'rejected')::int as rejected
       from es_commands`,
    );
    expect(ledger).toEqual({ commands: results.length, rejected: 0 });

    // every event projected once, in the version it was written in, the new ones included
    const [{ events = 0 } = {}] = await query<{ events: number }>(
      knex,
      'select count(*)::int as events from es_events',
    );
    const applied = await waitFor(
      async () => {
        const rows = await query<{ type: string; schema_version: number; applied: number }>(
          knex,
          'select type, schema_version, applied from ticket_log',
        );
        return rows.length === events && rows;
      },
      { timeoutMs: 120_000, what: 'every event projected' },
    );
    expect(applied.filter((row) => row.applied !== 1)).toEqual([]);
    expect(applied.filter((row) => row.type === 'TicketClosed')).toHaveLength(18);

    // no partition failed, none left waiting, and no one ran a manual step
    const status = await projectionStatus(knex, createEventSchemas([ticketV2]), [ticketLog]);
    expect(status.map((partition) => partition.state)).toEqual(['running']);
    const [checkpoint] = await query<{ attempts: number; waiting: unknown }>(
      knex,
      `select attempts, waiting from es_checkpoints where subscription = 'ticket_log'`,
    );
    expect(checkpoint).toEqual({ attempts: 0, waiting: null });
  });
});
