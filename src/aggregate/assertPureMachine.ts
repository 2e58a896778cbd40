import type { AnyStateMachine, StateNode } from 'xstate';
import { ChronicleError } from '../errors/index.js';

type Action = unknown;

const describe = (action: Action): string => {
  if (typeof action === 'string') return action;
  if (typeof action === 'function')
    return (action as { type?: string }).type ?? (action.name || 'inline function');
  if (action && typeof action === 'object' && 'type' in action) return String(action.type);
  return String(action);
};

/** Resolves a named action (`'setTotal'` or `{ type: 'setTotal' }`) to its implementation. */
const resolve = (machine: AnyStateMachine, action: Action): Action => {
  const name = typeof action === 'string' ? action : (action as { type?: unknown } | null)?.type;
  if (typeof name === 'string' && typeof action !== 'function') {
    return (machine.implementations.actions as Record<string, Action>)[name] ?? action;
  }
  return action;
};

const builtinType = (action: Action): unknown =>
  typeof action === 'function' ? (action as { type?: unknown }).type : undefined;

export type PureMachineRule = {
  /** Who owns the machine, for the error: `aggregate "order"`. */
  readonly owner: string;
  /** The built-in actions allowed besides `assign` (a process manager may `emit` its outputs). */
  readonly alsoAllowed?: readonly string[];
  /** What the machine may do, for the error. */
  readonly rule?: string;
};

function* statesOf(node: StateNode): Generator<StateNode> {
  yield node;
  for (const child of Object.values(node.states)) yield* statesOf(child);
}

/**
 * An aggregate's machine is its evolve function: replaying history must have no effect on the world.
 * So a machine may fold event data into context with `assign`, and nothing else: no custom actions,
 * no invoked or spawned actors, no delayed transitions. Checked once, when the aggregate is defined.
 */
export const assertPureMachine = (
  aggregateType: string | PureMachineRule,
  machine: AnyStateMachine,
): void => {
  const {
    owner,
    alsoAllowed = [],
    rule = 'its machine may only fold events with assign()',
  } = typeof aggregateType === 'string' ? { owner: `aggregate "${aggregateType}"` } : aggregateType;
  const allowed = new Set(['xstate.assign', ...alsoAllowed]);
  const problems: string[] = [];
  for (const node of statesOf(machine.root)) {
    const where = node.id;
    const check = (kind: string, actions: readonly Action[]) => {
      for (const action of actions) {
        if (!allowed.has(builtinType(resolve(machine, action)) as string))
          problems.push(`${kind} action "${describe(action)}" in ${where}`);
      }
    };
    check('entry', node.entry);
    check('exit', node.exit);
    for (const [event, transitions] of node.transitions) {
      for (const transition of transitions) check(`"${event}"`, transition.actions);
    }
    for (const transition of node.always ?? []) check('always', transition.actions);
    if (node.invoke.length > 0) problems.push(`invoked actor in ${where}`);
    if (node.after.length > 0) problems.push(`delayed transition in ${where}`);
  }
  if (problems.length > 0) {
    throw new ChronicleError('IMPURE_MACHINE', `${owner}: ${rule}; found ${problems.join(', ')}`);
  }
};
