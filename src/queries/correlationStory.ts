import type { EventStore, StoredCommand } from '../eventStore/index.js';
import type { RecordedEvent } from '../messages/index.js';
import { type QueryResult, queryNotFound } from './queryResult.js';

/** One step of a correlation's story: a command (with its answer) or an event. */
export type StoryStep =
  | {
      readonly kind: 'command';
      readonly id: string;
      readonly causationId: string | null;
      readonly correlationId: string;
      readonly aggregateType: string;
      readonly aggregateId: string;
      readonly type: string;
      readonly status: 'accepted' | 'rejected';
      readonly code?: string;
      readonly issuedBy?: string;
      readonly at: string;
    }
  | {
      readonly kind: 'event';
      readonly id: string;
      readonly causationId: string;
      readonly correlationId: string;
      readonly aggregateType: string;
      readonly aggregateId: string;
      readonly type: string;
      readonly version: number;
      readonly at: string;
    };

const commandStep = (command: StoredCommand, correlationId: string): StoryStep => ({
  kind: 'command',
  id: command.commandId,
  // a command that caused itself (the default) starts the story
  causationId: command.causationId && command.causationId !== command.commandId ? command.causationId : null,
  correlationId,
  aggregateType: command.streamType,
  aggregateId: command.streamId,
  type: command.type,
  status: command.result.status,
  ...(command.result.status === 'rejected' ? { code: command.result.code } : {}),
  ...(command.issuedBy ? { issuedBy: command.issuedBy } : {}),
  at: command.recordedAt,
});

const eventStep = (event: RecordedEvent): StoryStep => ({
  kind: 'event',
  id: event.eventId,
  causationId: event.metadata.causationId,
  correlationId: event.metadata.correlationId,
  aggregateType: event.streamType,
  aggregateId: event.streamId,
  type: event.type,
  version: event.version,
  at: event.recordedAt,
});

/** Recording order for siblings: time, then a command before its events, events by version. */
const recorded = (a: StoryStep, b: StoryStep): number =>
  a.at.localeCompare(b.at) ||
  (a.kind === b.kind ? 0 : a.kind === 'command' ? -1 : 1) ||
  (a.kind === 'event' && b.kind === 'event' ? a.version - b.version : 0);

/**
 * Causal order: every step after the step that caused it, and otherwise in the order they were
 * recorded (of the steps whose causes are told, the earliest next), so a saga's timeline reads
 * forward: its payment request before the timeout that came later on another branch. Steps whose
 * cause is not in the story start branches; steps whose causes form a cycle (not produced by
 * Chronicle) come last rather than being lost.
 */
export const causalOrder = (steps: readonly StoryStep[]): StoryStep[] => {
  const ids = new Set(steps.map((step) => step.id));
  const waitingFor = new Map<string, StoryStep[]>();
  const ready: StoryStep[] = [];
  for (const step of steps) {
    const cause = step.causationId;
    if (cause !== null && cause !== step.id && ids.has(cause))
      waitingFor.set(cause, [...(waitingFor.get(cause) ?? []), step]);
    else ready.push(step);
  }
  const ordered: StoryStep[] = [];
  const told = new Set<string>();
  for (let next = takeFirst(ready); next; next = takeFirst(ready)) {
    if (told.has(next.id)) continue;
    told.add(next.id);
    ordered.push(next);
    ready.push(...(waitingFor.get(next.id) ?? []));
  }
  return [...ordered, ...steps.filter((step) => !told.has(step.id)).sort(recorded)];
};

/** Removes and answers the earliest recorded step of `steps`. */
const takeFirst = (steps: StoryStep[]): StoryStep | undefined => {
  let first = 0;
  for (let i = 1; i < steps.length; i++)
    if (recorded(steps[i] as StoryStep, steps[first] as StoryStep) < 0) first = i;
  return steps.splice(first, 1)[0];
};

/**
 * The story of a correlation: every command the ledger recorded under it and every event stored
 * under it, in causal order (command → its events → the commands they caused → …).
 * @example
 * const story = await correlationStory(store, 'order-42-correlation');
 */
export const correlationStory = async (
  store: Pick<EventStore, 'readCorrelation'>,
  correlationId: string,
): Promise<QueryResult<StoryStep[]>> => {
  const { commands, events } = await store.readCorrelation(correlationId);
  const steps = [...commands.map((command) => commandStep(command, correlationId)), ...events.map(eventStep)];
  if (steps.length === 0) return queryNotFound(`no command or event of correlation ${correlationId}`);
  return { status: 'ok', data: causalOrder(steps) };
};
