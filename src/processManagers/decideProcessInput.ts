import { transition } from 'xstate';
import { formatStateValue } from '../aggregate/index.js';
import type { EventDraft } from '../eventStore/index.js';
import type { ProcessManager } from './defineProcessManager.js';
import { handledInputEventId, processCommandId, processDeadlineId } from './processIds.js';
import { handledEventType, nextDeadlines, type ProcessState } from './processState.js';
import type { HandledInputData, ProcessEmitted, ProcessOutput, RoutedInput } from './processTypes.js';

export type ProcessDecision =
  | { readonly status: 'ignored'; readonly reason: string }
  /** Handled before (a redelivery): what it decided then, to be sent again under the same ids. */
  | { readonly status: 'duplicate'; readonly outputs: readonly ProcessOutput[] }
  | {
      readonly status: 'handled';
      readonly event: EventDraft & { readonly data: HandledInputData };
      readonly outputs: readonly ProcessOutput[];
      readonly state: ProcessState;
    };

const emittedOf = (actions: readonly { type: string; params?: unknown }[]): ProcessEmitted[] =>
  actions.flatMap((action) =>
    action.type === 'xstate.emit' ? [(action.params as { event: ProcessEmitted }).event] : [],
  );

/**
 * Pure: what an instance does with one input. The machine takes the input once, with the pure
 * `transition()`: the state it reaches is the instance's next state (as an aggregate keeps the
 * state its decide reached), and what it emitted becomes outputs with deterministic ids: the n-th command of
 * input i is processCommandId(pm, i, n), a deadline processDeadlineId(pm, key, name, i), so
 * deciding the same input again names the same commands and deadlines. An input the machine does
 * not accept is recorded with no outputs (it starts no instance); a deadline no longer pending is
 * ignored (nothing recorded).
 */
export const decideProcessInput = (
  processManager: ProcessManager,
  state: ProcessState,
  routed: RoutedInput,
  now: Date,
): ProcessDecision => {
  const { input, inputId, key } = routed;
  const before = state.handled.get(inputId);
  if (before) return { status: 'duplicate', outputs: before };
  const deadlineId = input.source?.deadlineId;
  if (deadlineId && !Object.values(state.deadlines).some((pending) => pending.deadlineId === deadlineId))
    return { status: 'ignored', reason: `deadline ${deadlineId} was cancelled or has fired` };
  const [next, actions] = transition(processManager.machine, state.snapshot, input);
  // taken (XState's `can`): a transition moved or assigned (a new snapshot) or emitted (actions).
  // An instance's history holds every input it was given, also those its state did not accept
  // (they fold to no change); an input that would not start an instance leaves no trace
  const accepted = next !== state.snapshot || actions.length > 0;
  if (!accepted && state.version === 0) {
    const where = formatStateValue(state.snapshot.value);
    return {
      status: 'ignored',
      reason: `${processManager.name} in state ${where} does not accept ${input.type}`,
    };
  }
  const outputs: ProcessOutput[] = [];
  const pending = { ...state.deadlines };
  let position = 0;
  for (const emitted of emittedOf(actions)) {
    switch (emitted.type) {
      case 'chronicle.send': {
        const { command } = emitted;
        outputs.push({
          kind: 'command',
          commandId: processCommandId(processManager.name, inputId, position++),
          aggregateType: command.aggregateType,
          aggregateId: command.aggregateId,
          type: command.type,
          payload: command.payload ?? {},
        });
        break;
      }
      case 'chronicle.schedule': {
        const replaced = pending[emitted.name];
        if (replaced) outputs.push({ kind: 'cancel', deadlineId: replaced.deadlineId, name: emitted.name });
        const at = new Date(now.getTime() + Math.max(0, emitted.delayMs)).toISOString();
        const scheduled = processDeadlineId(processManager.name, key, emitted.name, inputId);
        pending[emitted.name] = { deadlineId: scheduled, at };
        outputs.push({
          kind: 'schedule',
          deadlineId: scheduled,
          name: emitted.name,
          at,
          input: emitted.input,
        });
        break;
      }
      case 'chronicle.cancel': {
        const cancelled = pending[emitted.name];
        if (cancelled) {
          outputs.push({ kind: 'cancel', deadlineId: cancelled.deadlineId, name: emitted.name });
          delete pending[emitted.name];
        }
        break;
      }
      default:
        emitted satisfies never;
    }
  }
  const data: HandledInputData = {
    inputId,
    input: { type: input.type, data: input.data },
    source: input.source ?? {},
    outputs,
  };
  const event = {
    eventId: handledInputEventId(processManager.name, key, inputId),
    type: handledEventType(input.type),
    data,
  };
  return {
    status: 'handled',
    event,
    outputs,
    state: {
      snapshot: next,
      version: state.version + 1,
      deadlines: nextDeadlines(state.deadlines, data.source, outputs),
      handled: new Map(state.handled).set(inputId, outputs),
    },
  };
};
