import {
  type AnyActorScope,
  type AnyEventObject,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  createActor,
} from 'xstate';

const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

/**
 * The inert scope XState's pure `transition()` builds on every call (an unstarted actor with its
 * own actor system, about as costly as the transition itself), built once per machine. An
 * aggregate's machine holds only assign actions (defineAggregate checks it), so nothing is ever
 * executed through it, and sharing it between aggregate instances shares no state.
 */
export const foldScope = (machine: AnyStateMachine): AnyActorScope => {
  let scope = scopes.get(machine);
  if (!scope) {
    scope = inertScope(machine);
    scopes.set(machine, scope);
  }
  return scope;
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

/** The machine's initial state, purely. */
export const initialSnapshot = (machine: AnyStateMachine): AnyMachineSnapshot =>
  machine.getInitialSnapshot(foldScope(machine));

/**
 * One event through the machine, purely: the same state as XState's `transition()`, without
 * building an actor per call. An event the state does not accept leaves it as it was; an error
 * an assigner or a guard throws is thrown.
 */
export const foldEvent = (
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: AnyEventObject,
): AnyMachineSnapshot => machine.transition(snapshot, event, foldScope(machine));
