import { LRUCache } from 'lru-cache';
import { retryOnConflict } from '../errors/index.js';
import type { EventSchemas } from '../eventSchemas/index.js';
import type { EventStore } from '../eventStore/index.js';
import { currentTraceContext } from '../tracing/index.js';
import { decideProcessInput } from './decideProcessInput.js';
import type { ProcessManager } from './defineProcessManager.js';
import { hydrateProcess } from './processSnapshot.js';
import type { ProcessState } from './processState.js';
import type { HandledInputData, ProcessOutput, RoutedInput } from './processTypes.js';

export type ProcessInstances = {
  readonly store: EventStore;
  /** The store's event schemas: recorded inputs are folded in their current shape. */
  readonly schemas: EventSchemas;
  /** Instances recently handled, by `<name>/<key>`; a conflict drops one and reloads it. */
  readonly cache: LRUCache<string, ProcessState>;
  readonly now: () => Date;
};

export const createProcessInstances = (
  store: EventStore,
  schemas: EventSchemas,
  maxInstances = 10_000,
): ProcessInstances => ({
  store,
  schemas,
  cache: new LRUCache({ max: maxInstances }),
  now: () => new Date(),
});

const load = async (instances: ProcessInstances, processManager: ProcessManager, key: string) => {
  const cacheKey = `${processManager.name}/${key}`;
  const cached = instances.cache.get(cacheKey);
  if (cached) return cached;
  const { state } = await hydrateProcess(instances.store, instances.schemas, processManager, key);
  return state;
};

/**
 * Handles one input of one instance, exactly once: the decision (the input with its outputs) is
 * appended to the instance's stream as one event whose id derives from (process manager, key,
 * input id), under optimistic concurrency. A redelivered input finds that event (in the folded
 * state, or as a duplicate id at the append) and gets the outputs decided the first time. Returns
 * the outputs to dispatch; sending them again is harmless (their ids are deterministic).
 */
export const handleProcessInput = async (
  instances: ProcessInstances,
  processManager: ProcessManager,
  routed: RoutedInput,
  maxConflictRetries = 5,
): Promise<readonly ProcessOutput[]> => {
  const cacheKey = `${processManager.name}/${routed.key}`;
  // a conflict needs no catching up here: the failed attempt dropped the instance, the next reloads it
  return retryOnConflict(
    async () => {
      const state = await load(instances, processManager, routed.key);
      const decision = decideProcessInput(processManager, state, routed, instances.now());
      if (decision.status === 'ignored') return [];
      if (decision.status === 'duplicate') return decision.outputs;
      const outcome = await instances.store
        .append({
          streamType: processManager.name,
          streamId: routed.key,
          expectedVersion: state.version,
          events: [decision.event],
          metadata: {
            commandId: routed.inputId,
            correlationId: routed.correlationId,
            causationId: routed.causationId ?? routed.inputId,
            ...currentTraceContext(),
          },
        })
        .catch((error: unknown) => {
          instances.cache.delete(cacheKey);
          throw error;
        });
      if (outcome.status === 'appended') {
        instances.cache.set(cacheKey, decision.state);
        return decision.outputs;
      }
      instances.cache.delete(cacheKey);
      const stored = outcome.result.status === 'accepted' ? outcome.result.events[0] : undefined;
      return (stored?.data as HandledInputData | undefined)?.outputs ?? [];
    },
    { stream: cacheKey, maxRetries: maxConflictRetries, onConflict: () => {} },
  );
};
