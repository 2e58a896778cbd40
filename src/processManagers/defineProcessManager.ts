import type { AnyStateMachine } from 'xstate';
import { AGGREGATE_TYPE_PATTERN, assertPureMachine, machineHash } from '../aggregate/index.js';
import { ChronicleError } from '../errors/index.js';
import type { RecordedEvent } from '../messages/index.js';

/** Picks the instance an event belongs to (e.g. the order id); undefined: not for this process manager. */
export type CorrelateEvent = (event: RecordedEvent) => string | undefined;

export type ProcessManagerDefinition<Machine extends AnyStateMachine> = {
  /** Its stream type and the name of its subscription (`pm.<name>`). Like an aggregate type. */
  readonly name: string;
  /**
   * A machine over its inputs: the events it correlates, `CommandRejected`, and its deadlines'
   * inputs. Only `assign` and the output actions (sendCommand, scheduleDeadline, cancelDeadline).
   */
  readonly machine: Machine;
  /** The event types it handles, each with the correlation key of the instance it goes to. */
  readonly correlate: Readonly<Record<string, CorrelateEvent>>;
  /** Partitions of its subscription (default 4). */
  readonly partitions?: number;
  /** The snapshot worker snapshots an instance every this many events (default 100), as an aggregate. */
  readonly snapshotEvery?: number;
  /**
   * The aggregate types it sends commands to: a deployment config that lacks one of them is
   * refused when it loads (left out, nothing is checked).
   */
  readonly sendsTo?: readonly string[];
};

/** A defined process manager, as the runtime uses it. */
export type ProcessManager<Machine extends AnyStateMachine = AnyStateMachine> = {
  readonly kind: 'process-manager';
  readonly name: string;
  readonly machine: Machine;
  /** A fingerprint of the machine's definition (as an aggregate's), shown with its chart. */
  readonly machineHash: string;
  readonly correlate: Readonly<Record<string, CorrelateEvent>>;
  readonly partitions: number;
  readonly snapshotEvery: number;
  /** Its subscription's name. */
  readonly subscription: string;
  /** The aggregate types it sends commands to (empty: undeclared). */
  readonly sendsTo: readonly string[];
};

/**
 * Defines a process manager: an XState machine actor, event-sourced in its own stream per
 * instance (stream type = name, stream id = the correlation key), fed by a subscription, sending
 * commands with deterministic ids. See docs/process-managers.md.
 * @example
 * export const orderPayment = defineProcessManager({
 *   name: 'order-payment',
 *   machine: orderPaymentMachine,
 *   correlate: { OrderPlaced: (event) => event.streamId, PaymentCaptured: (event) => event.streamId },
 * });
 */
export const defineProcessManager = <Machine extends AnyStateMachine>(
  definition: ProcessManagerDefinition<Machine>,
): ProcessManager<Machine> => {
  if (!AGGREGATE_TYPE_PATTERN.test(definition.name)) {
    throw new ChronicleError(
      'CONFIGURATION',
      `process manager name "${definition.name}" must match ${AGGREGATE_TYPE_PATTERN}`,
    );
  }
  const partitions = definition.partitions ?? 4;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    throw new ChronicleError(
      'CONFIGURATION',
      `process manager "${definition.name}": partitions must be an integer in 1..1024`,
    );
  }
  const snapshotEvery = definition.snapshotEvery ?? 100;
  if (!Number.isInteger(snapshotEvery) || snapshotEvery < 1) {
    throw new ChronicleError(
      'CONFIGURATION',
      `process manager "${definition.name}": snapshotEvery must be a positive integer`,
    );
  }
  if (Object.keys(definition.correlate).length === 0) {
    throw new ChronicleError(
      'CONFIGURATION',
      `process manager "${definition.name}": correlate names no event type`,
    );
  }
  assertPureMachine(
    {
      owner: `process manager "${definition.name}"`,
      alsoAllowed: ['xstate.emit'],
      rule: 'its machine may only assign() and emit its outputs (sendCommand, scheduleDeadline, cancelDeadline)',
    },
    definition.machine,
  );
  return {
    kind: 'process-manager',
    name: definition.name,
    machine: definition.machine,
    machineHash: machineHash(definition.machine),
    correlate: definition.correlate,
    partitions,
    snapshotEvery,
    subscription: `pm.${definition.name}`,
    sendsTo: [...(definition.sendsTo ?? [])],
  };
};
