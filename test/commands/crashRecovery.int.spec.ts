import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/eventStore/index.js';
import type { CommandResult } from '../../src/messages/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { waitFor } from '../support/waitFor.js';

const ORDERS = 20;
const COMMANDS_PER_ORDER = 50;

describe('a command worker killed mid-load', () => {
  let path: CommandPath;
  const pods: PodProcess[] = [];
  beforeAll(async () => {
    path = await createCommandPath();
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.kill('SIGTERM')));
    await path.close();
  });

  it('when one of two pods is SIGKILLed and a replacement starts, every command is answered and applied exactly once', async () => {
    pods.push(
      startPod('workers/command-worker.ts', path.podEnv),
      startPod('workers/command-worker.ts', path.podEnv),
    );
    await Promise.all(pods.map((pod) => pod.waitFor(/command worker started/)));

    let answered = 0;
    const sends: Promise<CommandResult>[] = [];
    for (let k = 0; k < COMMANDS_PER_ORDER; k++) {
      for (let o = 0; o < ORDERS; o++) {
        const id = `crash-${o}`;
        const command = k === 0 ? placeOrder(id) : paymentAttempt(id, k);
        sends.push(
          path.client.send(command, { wait: true, timeoutMs: 120_000 }).then((result) => {
            answered++;
            return result;
          }),
        );
      }
    }
    await waitFor(() => answered >= 200, { timeoutMs: 120_000, what: 'two hundred answers before the kill' });
    const killed = await pods[0]?.kill('SIGKILL');
    expect(killed).toEqual({ code: null, signal: 'SIGKILL' });
    const answeredAtKill = answered;
    pods.push(startPod('workers/command-worker.ts', path.podEnv));

    const results = await Promise.all(sends);
    expect(answeredAtKill).toBeLessThan(ORDERS * COMMANDS_PER_ORDER);
    expect(results.filter((result) => result.status !== 'accepted')).toEqual([]);

    const knex = path.db.orm.em.getKnex();
    const [counts] = await query<{ events: string; commands: string; doubled: string }>(
      knex,
      `select (select count(*) from es_events) as events,
              (select count(*) from es_commands) as commands,
              (select count(*) from (select metadata->>'commandId' from es_events
                                     group by 1 having count(*) > 1) d) as doubled`,
    );
    expect(Number(counts?.events)).toBe(ORDERS * COMMANDS_PER_ORDER);
    expect(Number(counts?.commands)).toBe(ORDERS * COMMANDS_PER_ORDER);
    expect(Number(counts?.doubled)).toBe(0);
    const gaps = await query(
      knex,
      `select stream_id from es_events group by stream_id having max(version) <> count(*) or min(version) <> 1`,
    );
    expect(gaps).toEqual([]);
    // every answer is the stored one: the version each caller saw is the version in the store
    const versions = new Map(
      (
        await query<{ command_id: string; version: number }>(
          knex,
          `select metadata->>'commandId' as command_id, version from es_events`,
        )
      ).map((row) => [row.command_id, row.version]),
    );
    for (const result of results) {
      if (result.status === 'accepted') expect(versions.get(result.commandId)).toBe(result.version);
    }
  });
});
