import type { StateValue } from 'xstate';
import { z } from 'zod';
import type { EventSchemas } from '../eventSchemas/index.js';
import type { EventStore } from '../eventStore/index.js';
import { hydrateProcess, type PendingDeadline, type ProcessManager } from '../processManagers/index.js';
import { invalid, type QueryResult, queryNotFound, withQuery } from './queryResult.js';

export const ProcessStateQuery = z.strictObject({
  processManager: z.string().min(1),
  /** The instance's key: its stream id (e.g. the order id). */
  key: z.string().min(1),
  /** Absent: the current state. */
  version: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});

export type ProcessStateAt = {
  readonly processManager: string;
  readonly key: string;
  readonly version: number;
  /** The instance's stream version now, so a client can step through history. */
  readonly headVersion: number;
  readonly value: StateValue;
  readonly context: unknown;
  /** The deadlines scheduled and neither cancelled nor handled by then, by name. */
  readonly deadlines: Readonly<Record<string, PendingDeadline>>;
  /** Whether folding started from a snapshot (one at or before `version`, of this machine and schemas). */
  readonly fromSnapshot: boolean;
};

/**
 * Time travel for a process-manager instance: its state right after event `version` of its own
 * stream, folded as the process-manager worker folds it (the pure transition over the recorded
 * inputs, so nothing is sent), from its latest usable snapshot at or before that version
 * (hydrateProcess, as the worker hydrates it) or from the start.
 */
export const processStateAt = (
  store: EventStore,
  schemas: EventSchemas,
  processManagers: readonly ProcessManager[],
  input: unknown,
): Promise<QueryResult<ProcessStateAt>> =>
  withQuery(ProcessStateQuery, input, async ({ processManager: name, key, version }) => {
    const processManager = processManagers.find((candidate) => candidate.name === name);
    if (!processManager)
      return invalid(
        'processManager',
        `no process manager "${name}"; known: ${processManagers.map((known) => known.name).join(', ')}`,
      );
    const stream = { streamType: name, streamId: key };
    const headVersion = await store.streamVersion(stream);
    if (headVersion === 0) return queryNotFound(`${name}/${key} has no events`);
    const target = version ?? headVersion;
    if (target > headVersion) return invalid('version', `${name}/${key} is at version ${headVersion}`);
    const { state, fromSnapshot } = await hydrateProcess(store, schemas, processManager, key, {
      toVersion: target,
    });
    return {
      status: 'ok',
      data: {
        processManager: name,
        key,
        version: state.version,
        headVersion,
        value: state.snapshot.value,
        context: state.snapshot.context,
        deadlines: state.deadlines,
        fromSnapshot,
      },
    };
  });
