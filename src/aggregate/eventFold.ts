import type { AnyActorScope, AnyEventObject, AnyMachineSnapshot, AnyStateMachine, StateValue } from 'xstate';
import { foldPlansOf, inertScope, type PlannedAssign } from './foldPlans.js';

const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

/**
 * The inert scope XState's pure `transition()` builds on every call (an unstarted actor with its
 * own actor system, about as costly as the transition itself), built once per machine. Nothing is
 * ever executed through it (an aggregate's machine holds only assigns, as defineAggregate checks;
 * what a process manager's emits goes nowhere: a fold sends nothing), so sharing it between
 * instances shares no state.
 */
const foldScope = (machine: AnyStateMachine): AnyActorScope => {
  let scope = scopes.get(machine);
  if (!scope) {
    scope = inertScope(machine);
    scopes.set(machine, scope);
  }
  return scope;
};

/** The machine's initial state, purely. */
export const initialSnapshot = (machine: AnyStateMachine): AnyMachineSnapshot =>
  machine.getInitialSnapshot(foldScope(machine));

/**
 * One event through the machine, purely, for the steps not learnt: the same state as XState's
 * `transition()`, without building an actor per call. An event the state does not accept leaves
 * it as it was; an error an assigner or a guard throws is thrown.
 */
const foldEvent = (
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: AnyEventObject,
): AnyMachineSnapshot => machine.transition(snapshot, event, foldScope(machine));

/** Events folded one after another from a start state; `snapshot()` is the state reached. */
export type EventFold = {
  /** False once the machine reached a final state: it takes no more events. */
  readonly active: () => boolean;
  readonly add: (event: AnyEventObject) => void;
  /**
   * Whether the state reached takes this event (XState's `can`, as decideCommand asks it): a learnt
   * step that moves the state or assigns says so without building the XState snapshot.
   */
  readonly accepts: (event: AnyEventObject) => boolean;
  readonly snapshot: () => AnyMachineSnapshot;
};

const spawnRefused = new Error('spawn inside an assign: left to XState');
const refuseSpawn = () => {
  throw spawnRefused;
};

/** The context after `assigns`, exactly as XState's resolveAssign computes it, one after another. */
const runAssigns = (
  machine: AnyStateMachine,
  assigns: readonly PlannedAssign[],
  start: unknown,
  event: AnyEventObject,
): unknown => {
  const { self, system } = foldScope(machine);
  let context = start as Record<string, unknown>;
  for (const { assignment, params } of assigns) {
    const resolvedParams = typeof params === 'function' ? params({ context, event }) : params;
    const args = { context, event, spawn: refuseSpawn, self, system };
    let partial: Record<string, unknown>;
    if (typeof assignment === 'function') partial = assignment(args, resolvedParams);
    else {
      partial = {};
      for (const key of Object.keys(assignment as object)) {
        const property = (assignment as Record<string, unknown>)[key];
        partial[key] = typeof property === 'function' ? property(args, resolvedParams) : property;
      }
    }
    context = Object.assign({}, context, partial);
  }
  return context;
};

/** A state the shortcut can carry: no spawned children, a context to assign to. */
const plain = (snapshot: AnyMachineSnapshot) =>
  snapshot.status === 'active' &&
  Boolean(snapshot.context) &&
  Object.keys(snapshot.children).length === 0 &&
  Object.keys(snapshot.historyValue ?? {}).length === 0;

/**
 * Folds events as `foldEvent` one by one would, to the same state, faster: a step whose outcome
 * depends on the state value alone (foldPlans) sets the value it learnt and runs its assigns on the
 * context; any other step goes through XState. The XState snapshot is built once, at the end.
 */
export const startFold = (machine: AnyStateMachine, start: AnyMachineSnapshot): EventFold => {
  const plans = foldPlansOf(machine);
  let snapshot: AnyMachineSnapshot | undefined = start;
  let value: StateValue = start.value;
  let context: unknown = start.context;
  let key: string | undefined;
  let fast = plans !== null && plain(start);
  const materialised = () => {
    snapshot ??= machine.resolveState({ value, context } as never) as AnyMachineSnapshot;
    return snapshot;
  };
  /** Takes the learnt step for this event; false when there is none and XState must. */
  const stepped = (event: AnyEventObject): boolean => {
    if (!fast || !plans) return false;
    key ??= JSON.stringify(value);
    const step = plans.step(key, value, event.type);
    if (step.kind !== 'assigns') return false;
    let next: unknown;
    try {
      next = runAssigns(machine, step.assigns, context, event);
    } catch (error) {
      if (error === spawnRefused) return false;
      throw error;
    }
    if (step.assigns.length > 0 || step.key !== key) snapshot = undefined;
    value = step.value;
    key = step.key;
    context = next;
    return true;
  };
  const add = (event: AnyEventObject) => {
    if (stepped(event)) return;
    const next = foldEvent(machine, materialised(), event);
    snapshot = next;
    value = next.value;
    context = next.context;
    key = undefined;
    fast = plans !== null && plain(next);
  };
  const accepts = (event: AnyEventObject): boolean => {
    if (fast && plans) {
      key ??= JSON.stringify(value);
      const step = plans.step(key, value, event.type);
      if (step.kind === 'assigns' && (step.assigns.length > 0 || step.key !== key)) return true;
    }
    return materialised().can(event);
  };
  return {
    active: () => (snapshot ? snapshot.status === 'active' : true),
    add,
    accepts,
    snapshot: materialised,
  };
};
