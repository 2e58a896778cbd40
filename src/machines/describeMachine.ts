import type { AnyStateMachine, StateNode } from 'xstate';
import type { Aggregate } from '../aggregate/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import type {
  DescribedState,
  DescribedTransition,
  MachineDescription,
  StateNodeType,
} from './machineDescription.js';

type AnyNode = StateNode<never, never>;
type TransitionLike = { readonly target?: readonly AnyNode[]; readonly guard?: unknown };

const pathOf = (node: AnyNode): string => node.path.join('.');

/** A readable name for a guard: its name when it has one (`isPaid`, `stateIn`), else `guard`. */
const guardName = (guard: unknown): string | undefined => {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard) return String(guard.type);
  if (typeof guard === 'function') {
    const { name } = guard;
    return name && name !== 'guard' ? name : 'guard';
  }
  return 'guard';
};

const describeTransition = (
  source: AnyNode,
  event: string | null,
  transition: TransitionLike,
): DescribedTransition => {
  const guard = guardName(transition.guard);
  return {
    source: pathOf(source),
    targets: (transition.target ?? []).map(pathOf),
    event,
    ...(guard ? { guard } : {}),
  };
};

const describeState = (node: AnyNode, transitions: DescribedTransition[]): DescribedState => {
  for (const [event, list] of node.transitions) {
    for (const transition of list) transitions.push(describeTransition(node, event, transition));
  }
  for (const transition of node.always ?? []) transitions.push(describeTransition(node, null, transition));
  const initial = node.type === 'compound' ? node.initial?.target?.[0] : undefined;
  return {
    path: pathOf(node),
    key: node.key,
    type: node.type as StateNodeType,
    ...(initial ? { initial: pathOf(initial as AnyNode) } : {}),
    states: Object.values(node.states).map((child) => describeState(child as AnyNode, transitions)),
  };
};

/**
 * Reads a machine's states and transitions off XState's state node tree, for the HTTP API, the
 * visualiser and `chronicle viz`: an aggregate's, or a process manager's (whose instances are
 * streams too). Pure data: nothing here runs the machine.
 */
export const describeMachine = (owner: Aggregate | ProcessManager): MachineDescription => {
  const machine: AnyStateMachine = owner.machine;
  const root = machine.root as unknown as AnyNode;
  const transitions: DescribedTransition[] = [];
  const described = describeState(root, transitions);
  const events = [...new Set(transitions.flatMap((t) => (t.event === null ? [] : [t.event])))].sort();
  return {
    kind: 'kind' in owner ? owner.kind : 'aggregate',
    aggregateType: 'kind' in owner ? owner.name : owner.type,
    machineId: machine.id,
    machineHash: owner.machineHash,
    ...(described.initial ? { initial: described.initial } : {}),
    states: described.states,
    transitions,
    events,
  };
};
