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
const scopeOf = (machine: AnyStateMachine): AnyActorScope => {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = {
      self,
      id: '',
      sessionId: '',
      system: self.system,
      logger: () => {},
      defer: () => {},
      emit: () => {},
      stopChild: () => {},
      actionExecutor: () => {},
    };
    scopes.set(machine, scope);
  }
  return scope;
};

/** The machine's initial state, purely. */
export const initialSnapshot = (machine: AnyStateMachine): AnyMachineSnapshot =>
  machine.getInitialSnapshot(scopeOf(machine));

/**
 * One event through the machine, purely: the same state as XState's `transition()`, without
 * building an actor per call. An event the state does not accept leaves it as it was; an error
 * an assigner or a guard throws is thrown.
 */
export const foldEvent = (
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: AnyEventObject,
): AnyMachineSnapshot => machine.transition(snapshot, event, scopeOf(machine));
