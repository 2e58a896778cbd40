import { type AnyMachineSnapshot, initialTransition } from 'xstate';
import { startFold } from '../aggregate/index.js';
import { type EventSchemas, isCurrentEvent, upcastEvent } from '../eventSchemas/index.js';
import type { RecordedEvent } from '../messages/index.js';
import type { ProcessManager } from './defineProcessManager.js';
import type { HandledInputData, InputSource, ProcessInput, ProcessOutput } from './processTypes.js';

/** A deadline the instance scheduled and has neither cancelled nor handled yet. */
export type PendingDeadline = { readonly deadlineId: string; readonly at: string };

/** An instance as folded from its stream: the machine's snapshot plus what the runtime tracks. */
export type ProcessState = {
  readonly snapshot: AnyMachineSnapshot;
  /** 0 when the instance has no stream yet. */
  readonly version: number;
  readonly deadlines: Readonly<Record<string, PendingDeadline>>;
  /** The inputs handled so far, by input id, with what each decided: a redelivery re-sends these. */
  readonly handled: ReadonlyMap<string, readonly ProcessOutput[]>;
};

/** The type of the event recording that an instance handled an input of `inputType`. */
export const handledEventType = (inputType: string): string => `${inputType}Handled`;

export const initialProcessState = (processManager: ProcessManager): ProcessState => ({
  snapshot: initialTransition(processManager.machine)[0],
  version: 0,
  deadlines: {},
  handled: new Map(),
});

/** The input as the machine saw it, rebuilt from the recorded data. */
export const recordedInput = (data: HandledInputData): ProcessInput => ({
  ...data.input,
  source: data.source,
});

/** Deadlines after an input: the one that fired is done, schedules add (or replace), cancels remove. */
export const nextDeadlines = (
  deadlines: Readonly<Record<string, PendingDeadline>>,
  source: InputSource,
  outputs: readonly ProcessOutput[],
): Record<string, PendingDeadline> => {
  const next = Object.fromEntries(
    Object.entries(deadlines).filter(([, pending]) => pending.deadlineId !== source.deadlineId),
  );
  for (const output of outputs) {
    switch (output.kind) {
      case 'schedule':
        next[output.name] = { deadlineId: output.deadlineId, at: output.at };
        break;
      case 'cancel':
        if (next[output.name]?.deadlineId === output.deadlineId) delete next[output.name];
        break;
      case 'command':
        break;
      default:
        output satisfies never;
    }
  }
  return next;
};

/**
 * A recorded input in its current shape. An input copies the event it came from as that event was
 * read then; recorded before the event type's latest version, it is upcast like the stored event
 * (the upcasters get the process manager's event's metadata). Deadlines and rejections pass as they are.
 */
export const upcastRecordedInput = (
  schemas: EventSchemas,
  event: RecordedEvent,
  data: HandledInputData,
): HandledInputData => {
  const { source, input } = data;
  // most copies were recorded in the current shape (the subscription reads events upcast)
  if (
    source.streamType === undefined ||
    isCurrentEvent(schemas, source.streamType, input.type, source.schemaVersion ?? 1)
  )
    return data;
  const upcast = upcastEvent(schemas, {
    ...event,
    streamType: source.streamType,
    streamId: source.streamId ?? event.streamId,
    version: source.version ?? event.version,
    eventId: source.eventId ?? event.eventId,
    type: input.type,
    schemaVersion: source.schemaVersion ?? 1,
    data: input.data,
  });
  if (upcast.type === input.type && upcast.data === input.data) return data;
  return {
    ...data,
    input: { ...input, type: upcast.type, data: upcast.data },
    source: { ...source, schemaVersion: upcast.schemaVersion },
  };
};

/**
 * Folds an instance's stored events, each input read in its current shape (upcastRecordedInput),
 * from its initial state or from `start` (a snapshot's state, the events being those after it).
 */
export const foldProcessStream = (
  processManager: ProcessManager,
  schemas: EventSchemas,
  events: readonly RecordedEvent[],
  start: ProcessState = initialProcessState(processManager),
): ProcessState =>
  foldProcessEvents(
    processManager,
    start,
    events.map((event) => ({
      version: event.version,
      data: upcastRecordedInput(schemas, event, event.data as HandledInputData),
    })),
  );

/**
 * Folds recorded inputs with the one fold (startFold, as an aggregate's events): replay sends
 * nothing (outputs are data here). One copy of the handled map for the whole fold, not one per input: a
 * long instance's history is otherwise quadratic.
 */
export const foldProcessEvents = (
  processManager: ProcessManager,
  state: ProcessState,
  events: readonly Pick<RecordedEvent, 'data' | 'version'>[],
): ProcessState => {
  if (events.length === 0) return state;
  const handled = new Map(state.handled);
  const fold = startFold(processManager.machine, state.snapshot);
  let { version, deadlines } = state;
  for (const event of events) {
    const data = event.data as HandledInputData;
    fold.add(recordedInput(data));
    handled.set(data.inputId, data.outputs);
    deadlines = nextDeadlines(deadlines, data.source, data.outputs);
    version = event.version;
  }
  return { snapshot: fold.snapshot(), version, deadlines, handled };
};
