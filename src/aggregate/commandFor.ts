import type { AnyStateMachine, ContextFrom, EventFromLogic } from 'xstate';
import type { z } from 'zod';
import type { Command } from '../messages/index.js';
import type { AggregateState } from './defineAggregate.js';

/**
 * Types one command of an aggregate against its machine: the payload from the schema, the state
 * from the machine's context, and the events `decide` may return from the machine's events. Lets
 * commands be written inline in `defineAggregate` with full types.
 * @example
 * const command = commandFor<typeof productMachine>();
 * export const product = defineAggregate({
 *   type: 'product',
 *   machine: productMachine,
 *   commands: {
 *     ChangePrice: command(ChangePrice, ({ data }) => [{ type: 'ProductPriceChanged', data }]),
 *   },
 * });
 */
export const commandFor =
  <Machine extends AnyStateMachine>() =>
  <Schema extends z.ZodType>(
    schema: Schema,
    decide: (
      command: Command<string, z.output<Schema>>,
      state: AggregateState<ContextFrom<Machine>>,
    ) => readonly EventFromLogic<Machine>[],
  ) => ({ schema, decide });
