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
 * Causal order: every step after the step that caused it (depth first from the roots: steps whose
 * cause is not in the story), siblings in the order they were recorded. Steps whose causes form a
 * cycle (not produced by Chronicle) come last rather than being lost.
 */
export const causalOrder = (steps: readonly StoryStep[]): StoryStep[] => {
  const ids = new Set(steps.map((step) => step.id));
  const children = new Map<string | null, StoryStep[]>();
  for (const step of [...steps].sort(recorded)) {
    const parent = step.causationId !== null && ids.has(step.causationId) ? step.causationId : null;
    children.set(parent, [...(children.get(parent) ?? []), step]);
  }
  const ordered: StoryStep[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null) => {
    for (const step of children.get(parent) ?? []) {
      if (seen.has(step.id)) continue;
      seen.add(step.id);
      ordered.push(step);
      visit(step.id);
    }
  };
  visit(null);
  return [...ordered, ...steps.filter((step) => !seen.has(step.id))];
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
