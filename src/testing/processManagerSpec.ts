import type { AnyStateMachine, ContextFrom, EventFromLogic, StateValue } from 'xstate';
import { formatStateValue } from '../aggregate/index.js';
import {
  type CommandRejectedData,
  decideProcessInput,
  initialProcessState,
  type ProcessCommandRequest,
  type ProcessInput,
  type ProcessManager,
  type ProcessOutput,
  type ProcessState,
} from '../processManagers/index.js';
import { asStored, assertEqual, fail } from './specAssertions.js';

/** The fixed key, time and correlation every process-manager spec runs with. */
export const processSpecDefaults = {
  key: 'spec-key-1',
  correlationId: 'spec-correlation-1',
  now: '2025-01-01T12:00:00.000Z',
} as const;

export type ExpectedSchedule = {
  readonly name: string;
  readonly delayMs: number;
  readonly input: Omit<ProcessInput, 'source'>;
};

export type ProcessThen<Context> = {
  /** Exactly these commands are sent, in order (ids, causation and correlation are the runtime's). */
  thenSends(expected: readonly ProcessCommandRequest[]): ProcessThen<Context>;
  /** Exactly these deadlines are scheduled (delay from the input's time). */
  thenSchedules(expected: readonly ExpectedSchedule[]): ProcessThen<Context>;
  /** Exactly these pending deadlines are cancelled, by name. */
  thenCancels(expected: readonly string[]): ProcessThen<Context>;
  /** The input is ignored or changes nothing: no command, no deadline. */
  thenNothing(): ProcessThen<Context>;
  thenState(expected: {
    readonly value?: StateValue;
    readonly context?: Partial<Context>;
  }): ProcessThen<Context>;
  readonly outputs: readonly ProcessOutput[];
};

export type ProcessSpec<Input, Context> = {
  given(inputs: readonly Input[]): { when(input: Input): ProcessThen<Context> };
  when(input: Input): ProcessThen<Context>;
};

/** A rejection input, as the runtime gives it when a command the process manager sent is refused. */
export const rejectionOf = (
  command: Pick<CommandRejectedData, 'aggregateType' | 'aggregateId' | 'commandType' | 'code'> &
    Partial<CommandRejectedData>,
): ProcessInput<'CommandRejected', CommandRejectedData> => ({
  type: 'CommandRejected',
  data: { commandId: 'spec-command-1', message: command.code, ...command },
});

const routed = (input: ProcessInput, index: number) => ({
  key: processSpecDefaults.key,
  inputId: `spec-input-${index + 1}`,
  correlationId: processSpecDefaults.correlationId,
  input: { ...input, source: input.source ?? { streamId: processSpecDefaults.key } },
});

const now = new Date(processSpecDefaults.now);

const replay = (processManager: ProcessManager, inputs: readonly ProcessInput[]): ProcessState =>
  inputs.reduce((state, input, index) => {
    const decision = decideProcessInput(processManager, state, routed(input, index), now);
    if (decision.status !== 'handled')
      return fail(`given input #${index + 1} (${input.type}) was not handled: ${JSON.stringify(decision)}`);
    return decision.state;
  }, initialProcessState(processManager));

const thenFor = (processManager: ProcessManager, history: readonly ProcessInput[], input: ProcessInput) => {
  const state = replay(processManager, history);
  const decision = decideProcessInput(processManager, state, routed(input, history.length), now);
  const outputs = decision.status === 'handled' ? decision.outputs : [];
  const after = decision.status === 'handled' ? decision.state : state;
  const of = <Kind extends ProcessOutput['kind']>(kind: Kind) =>
    outputs.filter((output): output is Extract<ProcessOutput, { kind: Kind }> => output.kind === kind);
  const spec: ProcessThen<unknown> = {
    outputs,
    thenSends(expected) {
      const sent = of('command').map(({ aggregateType, aggregateId, type, payload }) => ({
        aggregateType,
        aggregateId,
        type,
        payload,
      }));
      const wanted = expected.map((command) => ({ ...command, payload: command.payload ?? {} }));
      assertEqual(asStored(sent), asStored(wanted), `${input.type} sent other commands`);
      return spec;
    },
    thenSchedules(expected) {
      const scheduled = of('schedule').map(({ name, at, input: carried }) => ({
        name,
        delayMs: new Date(at).getTime() - now.getTime(),
        input: carried,
      }));
      assertEqual(asStored(scheduled), asStored(expected), `${input.type} scheduled other deadlines`);
      return spec;
    },
    thenCancels(expected) {
      assertEqual(
        of('cancel').map((cancel) => cancel.name),
        [...expected],
        `${input.type} cancelled other deadlines`,
      );
      return spec;
    },
    thenNothing() {
      assertEqual(asStored(outputs), [], `${input.type} was expected to do nothing`);
      return spec;
    },
    thenState(expected) {
      const { value, context } = asStored({ value: after.snapshot.value, context: after.snapshot.context });
      if (expected.value !== undefined)
        assertEqual(value, expected.value, `${processManager.name} is in state ${formatStateValue(value)}`);
      if (expected.context !== undefined) {
        const keys = Object.keys(expected.context);
        const picked = Object.fromEntries(
          keys.map((key) => [key, (context as Record<string, unknown>)[key]]),
        );
        assertEqual(picked, asStored(expected.context), `${processManager.name} context differs`);
      }
      return spec;
    },
  };
  return spec;
};

/**
 * A given/when/then specification of a process manager, run through the runtime's own decision:
 * the given inputs are handled in order (with their outputs, so deadlines are pending), then the
 * input under test; the spec checks the commands sent, deadlines scheduled or cancelled, and state.
 * @example
 * specFor(orderPayment)
 *   .given([placed])
 *   .when(rejectionOf({ aggregateType: 'order', aggregateId: 'o-1', commandType: 'ConfirmPayment', code: 'INVALID_TRANSITION' }))
 *   .thenSends([{ aggregateType: 'payment', aggregateId: 'o-1', type: 'RefundPayment', payload }]);
 */
export const processManagerSpec = <Machine extends AnyStateMachine>(
  processManager: ProcessManager<Machine>,
): ProcessSpec<EventFromLogic<Machine>, ContextFrom<Machine>> => {
  const spec: ProcessSpec<ProcessInput, unknown> = {
    given: (inputs) => ({ when: (input) => thenFor(processManager, inputs, input) }),
    when: (input) => thenFor(processManager, [], input),
  };
  return spec as unknown as ProcessSpec<EventFromLogic<Machine>, ContextFrom<Machine>>;
};
