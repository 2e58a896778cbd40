import type { StateValue } from 'xstate';
import { z } from 'zod';
import { AggregateInstance, type AggregateRegistry } from '../aggregate/index.js';
import type { EventStore } from '../eventStore/index.js';
import { IsoTime } from './queryParameters.js';
import { invalid, type QueryResult, queryNotFound, withQuery } from './queryResult.js';

export const AggregateStateQuery = z
  .strictObject({
    aggregateType: z.string().min(1),
    aggregateId: z.string().min(1),
    /** Absent (and no `time`): the current state. */
    version: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
    /** The state as it was at this time: after the last event recorded at or before it. */
    time: IsoTime.optional(),
  })
  .refine((query) => query.version === undefined || query.time === undefined, {
    message: 'give a version or a time, not both',
    path: ['time'],
  });

export type AggregateStateAt = {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly version: number;
  /** The time asked for, when the state was asked at a time. */
  readonly time?: string;
  /** The stream's version now, so a client can step through history. */
  readonly headVersion: number;
  readonly value: StateValue;
  readonly context: unknown;
  /** Whether folding started from a snapshot (one at or before `version`, of this machine). */
  readonly fromSnapshot: boolean;
};

/**
 * Time travel: an aggregate's state as it was at `version` (or at `time`: after the last event
 * recorded at or before it; not found when the stream had no event yet then), folded with AggregateInstance from the
 * latest usable snapshot (taken by this machine, at or before that version) or from the start.
 */
export const aggregateStateAt = (
  store: EventStore,
  registry: AggregateRegistry,
  input: unknown,
): Promise<QueryResult<AggregateStateAt>> =>
  withQuery(AggregateStateQuery, input, async ({ aggregateType, aggregateId, version, time }) => {
    const aggregate = registry.find(aggregateType);
    if (!aggregate)
      return invalid(
        'aggregateType',
        `no aggregate type "${aggregateType}"; known: ${registry.types.join(', ')}`,
      );
    const stream = { streamType: aggregateType, streamId: aggregateId };
    const headVersion = await store.streamVersion(stream);
    if (headVersion === 0) return queryNotFound(`${aggregateType}/${aggregateId} has no events`);
    const target =
      time === undefined ? (version ?? headVersion) : await store.versionAt(stream, new Date(time));
    if (target === 0) return queryNotFound(`${aggregateType}/${aggregateId} had no events at ${time}`);
    if (target > headVersion)
      return invalid('version', `${aggregateType}/${aggregateId} is at version ${headVersion}`);
    const { snapshot, events } = await store.readToFold(stream, aggregate.machineHash, {
      toVersion: target,
    });
    const actor = AggregateInstance.hydrate(aggregate, aggregateId, snapshot, events);
    const { value, context } = actor.persisted();
    return {
      status: 'ok',
      data: {
        aggregateType,
        aggregateId,
        version: actor.version,
        ...(time === undefined ? {} : { time }),
        headVersion,
        value,
        context,
        fromSnapshot: !!snapshot,
      },
    };
  });
