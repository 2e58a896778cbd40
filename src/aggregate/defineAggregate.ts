import type { AnyStateMachine, ContextFrom, EventFromLogic, StateValue } from 'xstate';
import type { z } from 'zod';
import { ChronicleError } from '../errors/index.js';
import type { EventChain, EventSchemaMap, EventVersions } from '../eventSchemas/index.js';
import type { Command } from '../messages/index.js';
import { type AggregateResource, aggregateResource, type ResourceOptions } from './aggregateResource.js';
import { assertPureMachine } from './assertPureMachine.js';
import { machineHash } from './machineHash.js';

/** What `decide` sees of the aggregate: the machine's state, its context and the stream version. */
export type AggregateState<Context = unknown> = {
  readonly value: StateValue;
  readonly context: Context;
  /** 0 when the stream has no events yet. */
  readonly version: number;
};

export type CommandDefinition<
  Schema extends z.ZodType,
  Machine extends AnyStateMachine,
  Type extends string,
> = {
  readonly schema: Schema;
  /** Pure: returns the events the command causes, or throws a rejection (see `reject`). */
  readonly decide: (
    command: Command<Type, z.output<Schema>>,
    state: AggregateState<ContextFrom<Machine>>,
  ) => readonly EventFromLogic<Machine>[];
};

export type CommandDefinitions<Machine extends AnyStateMachine, Schemas extends Record<string, z.ZodType>> = {
  readonly [Type in keyof Schemas & string]: CommandDefinition<Schemas[Type], Machine, Type>;
};

/**
 * The schema versions of an aggregate's events, by type: each chain must end in the data the
 * machine folds. Types left out are at version 1.
 */
export type AggregateEventSchemas<Machine extends AnyStateMachine> = {
  readonly [Type in EventFromLogic<Machine>['type']]?: EventVersions<
    Extract<EventFromLogic<Machine>, { type: Type }>['data']
  >;
};

export type AggregateDefinition<
  Type extends string,
  Machine extends AnyStateMachine,
  Schemas extends Record<string, z.ZodType>,
> = {
  /** The stream type, e.g. `order`. Lower-case letters, digits, `-` and `_`. */
  readonly type: Type;
  /** Evolve: a machine over domain events whose only actions are `assign`. */
  readonly machine: Machine;
  readonly commands: CommandDefinitions<Machine, Schemas>;
  /** Take a snapshot every N events (default 100). */
  readonly snapshotEvery?: number;
  /**
   * Bump when the fold changes in a way its source does not show (a constant an assigner closes
   * over, a helper it calls): old snapshots are then ignored. The hash covers the source itself.
   */
  readonly machineVersion?: string | number;
  /**
   * Events whose shape changed or that were renamed: stored events are read through these chains
   * (upcast) before anything sees them, and new ones are written in the current version.
   */
  readonly events?: AggregateEventSchemas<Machine>;
  /** How the API serves it under `/v1/<plural>` (see `ResourceOptions`; defaults fit most). */
  readonly resource?: ResourceOptions<NoInfer<keyof Schemas & string>>;
};

/** Each command's payload as a sender writes it (its schema's input), by command type. */
export type CommandInputs = Readonly<Record<string, unknown>>;

/** The command inputs of an aggregate's schemas. */
export type CommandInputsOf<Schemas extends Record<string, z.ZodType>> = {
  readonly [Type in keyof Schemas & string]: z.input<Schemas[Type]>;
};

// a key no value has: the command inputs live in the type only
declare const commandInputs: unique symbol;

/**
 * A defined aggregate, as the runtime uses it. Type details are erased where the runtime needs
 * none: `Aggregate` with no arguments is any aggregate, and a list of different ones is a
 * `readonly Aggregate[]`.
 */
export type Aggregate<
  Type extends string = string,
  Machine extends AnyStateMachine = AnyStateMachine,
  Inputs extends CommandInputs = CommandInputs,
> = {
  /**
   * Never set: each command's input type, kept from `defineAggregate` so that a client typed by
   * the aggregates (`createCommandClient`) checks aggregate types, command types and payloads.
   */
  readonly [commandInputs]?: Inputs;
  readonly type: Type;
  readonly machine: Machine;
  readonly machineHash: string;
  readonly snapshotEvery: number;
  /** The event types with versions or old names (see `eventVersions`). */
  readonly events: EventSchemaMap;
  /** Its routes under `/v1/<plural>`; absent on an aggregate not made by defineAggregate. */
  readonly resource?: AggregateResource;
  readonly commands: Readonly<
    Record<
      string,
      {
        readonly schema: z.ZodType;
        readonly decide: (
          command: Command,
          state: AggregateState,
        ) => readonly { type: string; data?: unknown }[];
      }
    >
  >;
};

/** Aggregate (stream) types: lower-case letters, digits, `_` and `-`, starting with a letter. */
export const AGGREGATE_TYPE_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;

/**
 * Defines an aggregate: its machine folds events (evolve), its commands decide new ones.
 * @example
 * export const order = defineAggregate({
 *   type: 'order',
 *   machine: orderMachine,
 *   commands: { PlaceOrder: { schema: PlaceOrder, decide: (cmd) => [{ type: 'OrderPlaced', data: cmd.data }] } },
 * });
 */
export const defineAggregate = <
  const Type extends string,
  Machine extends AnyStateMachine,
  Schemas extends Record<string, z.ZodType>,
>(
  definition: AggregateDefinition<Type, Machine, Schemas>,
): Aggregate<Type, Machine, CommandInputsOf<Schemas>> => {
  if (!AGGREGATE_TYPE_PATTERN.test(definition.type)) {
    throw new ChronicleError(
      'CONFIGURATION',
      `aggregate type "${definition.type}" must match ${AGGREGATE_TYPE_PATTERN}`,
    );
  }
  const snapshotEvery = definition.snapshotEvery ?? 100;
  if (!Number.isInteger(snapshotEvery) || snapshotEvery < 1) {
    throw new ChronicleError(
      'CONFIGURATION',
      `aggregate "${definition.type}": snapshotEvery must be a positive integer`,
    );
  }
  assertPureMachine(definition.type, definition.machine);
  const events: EventSchemaMap = Object.fromEntries(
    Object.entries(definition.events ?? {}).filter((entry): entry is [string, EventChain] => !!entry[1]),
  );
  return {
    type: definition.type,
    machine: definition.machine,
    machineHash: machineHash(definition.machine, definition.machineVersion, events),
    snapshotEvery,
    events,
    commands: definition.commands as unknown as Aggregate['commands'],
    resource: aggregateResource(
      definition.type,
      definition.machine,
      Object.keys(definition.commands),
      definition.resource as ResourceOptions | undefined,
    ),
  };
};
