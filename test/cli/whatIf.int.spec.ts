import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRequest } from '../../src/messages/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { repoRoot, runToEnd } from '../support/processes.js';

// Candidate configs outside the repository, as a team's own would be: they import the runtime, the
// sample and the candidate aggregates (whatIfCandidates.ts) by absolute path.
const candidateConfig = (aggregate: 'orderWithoutCancelBeforePayment' | 'orderRefusingCancel') => `
import { defineChronicle } from '${join(repoRoot, 'src/index.ts')}';
import { payment, product, user } from '${join(repoRoot, 'actors/index.ts')}';
import { ${aggregate} } from '${join(repoRoot, 'test/cli/whatIfCandidates.ts')}';
export default defineChronicle({ aggregates: [${aggregate}, payment, user, product] });
`;

/** Each CLI run loads the runtime from source: on a busy machine that alone takes tens of seconds. */
const CLI_RUNS = 300_000;

type Line = Record<string, unknown> & { kind?: string; streamId?: string; commandId?: string };

const order_ = (aggregateId: string, type: string, payload: unknown = {}): CommandRequest => ({
  aggregateType: 'order',
  aggregateId,
  type,
  payload,
});

describe('chronicle what-if: the stored history replayed through a candidate config', () => {
  let path: CommandPath;
  let dir: string;
  const cancels: Record<string, string> = {};

  /** Runs the verb against this spec's store, with the repository's config as the current deployment. */
  const whatIf = async (candidate: string, ...more: string[]) => {
    const result = await runToEnd('workers/cli.ts', {
      args: ['what-if', '--candidate', candidate, ...more],
      env: { ...path.podEnv, CHRONICLE_CONFIG: '' },
    });
    const lines = result.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line);
    const [first, ...divergences] = lines;
    return {
      code: result.code,
      stderr: result.stderr,
      summary: first?.summary as Record<string, unknown>,
      divergences,
    };
  };

  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
    const send = async (request: CommandRequest) => {
      const result = await path.client.send(request, { wait: true });
      return result;
    };
    // wi-a, wi-b: cancelled while waiting for payment (the transition one candidate drops)
    for (const id of ['wi-a', 'wi-b']) {
      await send(placeOrder(id));
      const cancelled = await send(order_(id, 'CancelOrder', { reason: 'changed mind' }));
      expect(cancelled.status).toBe('accepted');
      cancels[id] = cancelled.commandId;
    }
    // wi-c: a payment under way, then a shipping update it rejects
    await send(placeOrder('wi-c'));
    const initiated = await send(order_('wi-c', 'InitiatePayment'));
    const shipped = await send(order_('wi-c', 'UpdateShippingStatus', { status: 'IN_TRANSIT' }));
    expect(shipped.status).toBe('rejected');
    // wi-d: paid, then cancelled before it ships (another transition, kept by both candidates)
    await send(placeOrder('wi-d'));
    await send(order_('wi-d', 'InitiatePayment'));
    await send(order_('wi-d', 'ConfirmPayment'));
    const cancelled = await send(order_('wi-d', 'CancelOrder', { reason: 'found it cheaper' }));
    expect(cancelled.status).toBe('accepted');
    cancels['wi-d'] = cancelled.commandId;

    const knex = path.db.orm.em.getKnex();
    // a command recorded before the ledger kept payloads
    await knex.raw('update es_commands set payload = null where command_id = ?', [initiated.commandId]);
    // wi-d's snapshot, taken by the deployment running now (its machine hash is the CLI's: a
    // function hashes by its source, which vitest's transform would change)
    const snapshot = await runToEnd('workers/cli.ts', {
      args: ['snapshot', 'order', 'wi-d'],
      env: { ...path.podEnv, CHRONICLE_CONFIG: '' },
    });
    expect(snapshot.code, snapshot.stderr).toBe(0);

    dir = mkdtempSync(join(tmpdir(), 'chronicle-what-if-'));
    writeFileSync(join(dir, 'dropped.config.ts'), candidateConfig('orderWithoutCancelBeforePayment'));
    writeFileSync(join(dir, 'rejecting.config.ts'), candidateConfig('orderRefusingCancel'));
  }, CLI_RUNS);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await path.close();
  });

  it(
    'given the unchanged config, every stream folds and every command decides the same: exit 0',
    async () => {
      const { code, stderr, summary, divergences } = await whatIf(join(repoRoot, 'chronicle.config.ts'));
      expect(code, stderr).toBe(0);
      expect(divergences).toEqual([]);
      expect(summary).toMatchObject({
        streamsChecked: 4,
        streamsDiverging: 0,
        commandsChecked: 10,
        commandsSame: 10,
        payloadNotKept: 1,
        divergences: {},
        snapshots: { total: 0 },
      });
    },
    CLI_RUNS,
  );

  it(
    'when the candidate machine drops a transition, exactly the streams that took it are reported: exit 3',
    async () => {
      const { code, stderr, summary, divergences } = await whatIf(join(dir, 'dropped.config.ts'));
      expect(code, stderr).toBe(3);
      const refused = divergences.filter((line) => line.kind === 'event-refused');
      expect(refused.map((line) => line.streamId).sort()).toEqual(['wi-a', 'wi-b']);
      expect(refused[0]).toMatchObject({
        streamType: 'order',
        version: 2,
        state: { placed: { payment: 'pending', shipping: 'waitingForPayment' } },
        event: 'OrderCancelled',
      });
      // the cancellations, decided again on the state before them, are refused by the machine too
      const rejected = divergences.filter((line) => line.kind === 'now-rejected');
      expect(rejected.map((line) => line.commandId).sort()).toEqual(
        [cancels['wi-a'], cancels['wi-b']].sort(),
      );
      expect(rejected[0]).toMatchObject({ candidate: { status: 'rejected', code: 'INVALID_TRANSITION' } });
      expect(new Set(divergences.map((line) => line.streamId))).toEqual(new Set(['wi-a', 'wi-b']));
      expect(summary).toMatchObject({
        streamsChecked: 4,
        streamsDiverging: 2,
        divergences: { 'event-refused': 2, 'now-rejected': 2 },
        // the changed machine no longer restores wi-d's snapshot: its 4 events are folded again
        snapshots: { total: 1, events: 4, changed: [{ streamType: 'order', snapshots: 1, events: 4 }] },
      });
      expect((summary.snapshots as { foldRatePerSecond: number }).foldRatePerSecond).toBeGreaterThan(0);
    },
    CLI_RUNS,
  );

  it(
    'when the candidate decide now rejects, each command it rejects is reported: exit 3',
    async () => {
      const { code, stderr, summary, divergences } = await whatIf(join(dir, 'rejecting.config.ts'));
      expect(code, stderr).toBe(3);
      expect(divergences.map((line) => line.commandId).sort()).toEqual(Object.values(cancels).sort());
      for (const line of divergences)
        expect(line).toMatchObject({
          kind: 'now-rejected',
          command: 'CancelOrder',
          stored: { status: 'accepted', events: [{ type: 'OrderCancelled' }] },
          candidate: { status: 'rejected', code: 'CANCELLATION_CLOSED' },
        });
      expect(summary).toMatchObject({
        streamsDiverging: 3,
        divergences: { 'now-rejected': 3 },
        snapshots: { total: 0 },
      });
    },
    CLI_RUNS,
  );

  it(
    'reads only the streams asked for: --type, --since, --limit',
    async () => {
      const limited = await whatIf(
        join(dir, 'dropped.config.ts'),
        '--type',
        'order',
        '--since',
        '2026-01-01T00:00:00Z',
        '--limit',
        '1',
      );
      expect(limited.code, limited.stderr).toBe(3);
      expect(limited.summary).toMatchObject({ streamsChecked: 1 });
      expect(limited.divergences.map((line) => line.streamId)).toEqual(['wi-a', 'wi-a']);
    },
    CLI_RUNS,
  );
});
