import {
  type AnyActorScope,
  type AnyStateMachine,
  createActor,
  createMachine,
  type StateValue,
  stateIn,
} from 'xstate';

/**
 * What one event does to a state, when that is the same whatever the context and the event's data:
 * the state value it leads to and the assign actions XState resolves on the way, in its order.
 * `xstate` when it is not (a guard that reads context or data decides, an action that is not an
 * assign, a final state is reached): that step is left to XState.
 */
export type FoldStep =
  | {
      readonly kind: 'assigns';
      readonly value: StateValue;
      readonly key: string;
      /** The assigns XState resolves for this step, in its order. */
      readonly assigns: readonly PlannedAssign[];
    }
  | { readonly kind: 'xstate' };

export type FoldPlans = {
  /** The step for events of `eventType` from the state whose value serialises to `key`. */
  readonly step: (key: string, value: StateValue, eventType: string) => FoldStep;
};

/**
 * An assign as XState resolves it (resolveAssign): `assignment` is the function or the object of
 * property assigners given to `assign()`; `params` the reference's own (`{ type, params }`), a
 * value or a function of context and event, undefined for an inline assign or a name alone.
 */
export type PlannedAssign = { readonly assignment: unknown; readonly params: unknown };

type Config = Record<string, unknown>;
type Observation = { actions: unknown[]; guardRead: boolean };

const stateInCheck = (stateIn('#probe') as unknown as { check: unknown }).check;
const toArray = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A guard that only looks at the state configuration (`stateIn`): known once the state value is. */
const readsStateOnly = (machine: AnyStateMachine, guard: unknown): boolean => {
  const resolved =
    typeof guard === 'function'
      ? guard
      : (machine.implementations.guards as Record<string, unknown>)[
          typeof guard === 'string' ? guard : String((guard as { type?: unknown } | null)?.type)
        ];
  return typeof resolved === 'function' && (resolved as { check?: unknown }).check === stateInCheck;
};

/** The built-in assign behind an action reference, or undefined when it is anything else. */
const assignOf = (machine: AnyStateMachine, action: unknown): PlannedAssign | undefined => {
  if (action === null || !['function', 'string', 'object'].includes(typeof action)) return undefined;
  const resolved =
    typeof action === 'function'
      ? action
      : (machine.implementations.actions as Record<string, unknown>)[
          typeof action === 'string' ? action : String((action as { type?: unknown } | null)?.type)
        ];
  if (typeof resolved !== 'function') return undefined;
  const assign = resolved as unknown as { type?: unknown; assignment?: unknown };
  if (assign.type !== 'xstate.assign' || !('assignment' in assign)) return undefined;
  const params =
    action !== null && typeof action === 'object' && 'params' in action
      ? (action as { params: unknown }).params
      : undefined;
  return { assignment: assign.assignment, params };
};

/** Features whose effects a step cannot capture as value + assigns: the shortcut is off for the machine. */
const unsupported = (config: Config): boolean =>
  config.type === 'history' ||
  config.invoke !== undefined ||
  config.after !== undefined ||
  Object.values((config.states as Record<string, Config> | undefined) ?? {}).some(unsupported);

/**
 * The machine's twin for observing: the same states, transitions and `stateIn` guards, but every
 * action replaced by a recorder of the original reference and every other guard by one that notes
 * it was asked. Transitioning the twin from a state value tells which assigns XState would resolve
 * and in which order, without running any of them.
 */
const observerOf = (machine: AnyStateMachine, observation: Observation) => {
  const originals = new WeakMap<object, unknown>();
  const recorder = (action: unknown) => {
    const record = () => {};
    originals.set(record, action);
    return record;
  };
  const guardRead = () => {
    observation.guardRead = true;
    return false;
  };
  const actions = (value: unknown) => toArray(value).map(recorder);
  const transition = (value: unknown): unknown => {
    if (value === undefined || typeof value === 'string') return value;
    const { actions: acts, guard, ...rest } = value as Config;
    return {
      ...rest,
      ...(acts === undefined ? {} : { actions: actions(acts) }),
      ...(guard === undefined ? {} : { guard: readsStateOnly(machine, guard) ? guard : guardRead }),
    };
  };
  const transitions = (value: unknown) => toArray(value).map(transition);
  const node = (config: Config): Config => {
    const { entry, exit, on, always, onDone, initial, states, ...rest } = config;
    return {
      ...rest,
      ...(entry === undefined ? {} : { entry: actions(entry) }),
      ...(exit === undefined ? {} : { exit: actions(exit) }),
      ...(on === undefined
        ? {}
        : {
            on: Object.fromEntries(
              Object.entries(on as Config).map(([event, value]) => [event, transitions(value)]),
            ),
          }),
      ...(always === undefined ? {} : { always: transitions(always) }),
      ...(onDone === undefined ? {} : { onDone: transitions(onDone) }),
      ...(initial === undefined ? {} : { initial: transition(initial) }),
      ...(states === undefined
        ? {}
        : {
            states: Object.fromEntries(
              Object.entries(states as Record<string, Config>).map(([name, child]) => [name, node(child)]),
            ),
          }),
    };
  };
  const twin = createMachine(
    node(machine.config as Config) as never,
    {
      guards: machine.implementations.guards,
    } as never,
  ) as AnyStateMachine;
  const scope = inertScope(twin, (executed) => {
    const exec = (executed as { exec?: unknown }).exec;
    observation.actions.push(typeof exec === 'function' && originals.has(exec) ? originals.get(exec) : null);
  });
  return { twin, scope };
};

/** A scope that executes nothing; `actionExecutor` sees the custom actions XState resolves. */
export const inertScope = (
  machine: AnyStateMachine,
  actionExecutor: AnyActorScope['actionExecutor'] = () => {},
): AnyActorScope => {
  const self = createActor(machine);
  return {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    actionExecutor,
  };
};

const plansByMachine = new WeakMap<AnyStateMachine, FoldPlans | null>();

const buildPlans = (machine: AnyStateMachine): FoldPlans | null => {
  if (unsupported(machine.config as Config)) return null;
  const observation: Observation = { actions: [], guardRead: false };
  const { twin, scope } = observerOf(machine, observation);
  const steps = new Map<string, Map<string, FoldStep>>();
  const observe = (value: StateValue, eventType: string): FoldStep => {
    if (eventType.startsWith('xstate.')) return { kind: 'xstate' };
    observation.actions = [];
    observation.guardRead = false;
    try {
      const from = twin.resolveState({ value, context: {} });
      const to = twin.transition(from, { type: eventType }, scope);
      const assigns = observation.actions.map((action) => assignOf(machine, action));
      if (
        observation.guardRead ||
        to.status !== 'active' ||
        Object.keys(to.children).length > 0 ||
        !assigns.every((assign) => assign !== undefined)
      )
        return { kind: 'xstate' };
      return { kind: 'assigns', value: to.value, key: JSON.stringify(to.value), assigns };
    } catch {
      return { kind: 'xstate' };
    }
  };
  return {
    step: (key, value, eventType) => {
      let byType = steps.get(key);
      if (!byType) {
        byType = new Map();
        steps.set(key, byType);
      }
      let step = byType.get(eventType);
      if (!step) {
        step = observe(value, eventType);
        byType.set(eventType, step);
      }
      return step;
    },
  };
};

/**
 * The machine's fold steps, learnt one (state value, event type) at a time and kept for the
 * machine's life; null for a machine with history states, invoked actors or delayed transitions.
 */
export const foldPlansOf = (machine: AnyStateMachine): FoldPlans | null => {
  let plans = plansByMachine.get(machine);
  if (plans === undefined) {
    plans = buildPlans(machine);
    plansByMachine.set(machine, plans);
  }
  return plans;
};
