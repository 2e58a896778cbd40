import { type EventObject, emit, type MachineContext } from 'xstate';
import type { ProcessCommandRequest, ProcessEmitted, ProcessInput } from './processTypes.js';

type Args<Context, Event> = { readonly context: Context; readonly event: Event };
type Expr<Context, Event, Value> = Value | ((args: Args<Context, Event>) => Value);

const evaluate = <Context, Event, Value>(
  expr: Expr<Context, Event, Value>,
  args: Args<Context, Event>,
): Value => (typeof expr === 'function' ? (expr as (args: Args<Context, Event>) => Value)(args) : expr);

/**
 * A process manager's machine sends a command with this action. The runtime gives it an id derived
 * from (process manager, triggering input, position), causation = the input, the input's correlation.
 * @example
 * OrderPlaced: { target: 'requested', actions: sendCommand(({ event }) => ({
 *   aggregateType: 'payment', aggregateId: event.source.streamId, type: 'RequestPayment', payload })) }
 */
export const sendCommand = <
  Context extends MachineContext,
  Event extends EventObject,
  MachineEvent extends EventObject = Event,
>(
  command: Expr<Context, Event, ProcessCommandRequest>,
) =>
  emit<Context, Event, undefined, MachineEvent, ProcessEmitted>(
    ({ context, event }): ProcessEmitted => ({
      type: 'chronicle.send',
      command: evaluate(command, { context, event }),
    }),
  );

/**
 * Schedules `input` to reach this instance after `delayMs` (a BullMQ delayed job with a deterministic
 * id: it survives pod restarts and fires once). Scheduling a name again replaces the pending one.
 */
export const scheduleDeadline = <
  Context extends MachineContext,
  Event extends EventObject,
  MachineEvent extends EventObject = Event,
>(
  deadline: Expr<Context, Event, { name: string; delayMs: number; input: Omit<ProcessInput, 'source'> }>,
) =>
  emit<Context, Event, undefined, MachineEvent, ProcessEmitted>(
    ({ context, event }): ProcessEmitted => ({
      type: 'chronicle.schedule',
      ...evaluate(deadline, { context, event }),
    }),
  );

/** Cancels the pending deadline of that name (a deadline already firing is then ignored). */
export const cancelDeadline = <
  Context extends MachineContext,
  Event extends EventObject,
  MachineEvent extends EventObject = Event,
>(
  name: string,
) => emit<Context, Event, undefined, MachineEvent, ProcessEmitted>({ type: 'chronicle.cancel', name });
