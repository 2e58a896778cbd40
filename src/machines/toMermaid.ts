import type { DescribedState, DescribedTransition, MachineDescription } from './machineDescription.js';

export type MermaidOptions = {
  /** State paths to highlight (the active states of an instance), with a `active` classDef. */
  readonly active?: readonly string[];
};

/** The class the highlighted states get, in the text and in the rendered SVG. */
export const ACTIVE_CLASS = 'active';

/**
 * Mermaid ids may hold only letters, digits and `_`: each path segment is cleaned and segments are
 * joined with `__`, so `placed.payment.paid` is `placed__payment__paid`. The visualiser finds the
 * rendered nodes by these ids (the API sends the map).
 */
export const mermaidIdOf = (path: string): string =>
  path
    .split('.')
    .map((segment) => segment.replace(/[^A-Za-z0-9_]/g, '_'))
    .join('__');

const quote = (label: string): string => label.replace(/["#;:]/g, ' ');

const transitionLabel = (transition: DescribedTransition): string => {
  const guard = transition.guard ? `[${quote(transition.guard)}]` : '';
  return [transition.event ? quote(transition.event) : '', guard].filter(Boolean).join(' ');
};

/** `a.b.c` → `a.b`, `a` (nearest first). */
const ancestorsOf = (path: string): string[] =>
  path
    .split('.')
    .slice(0, -1)
    .map((_, index, segments) => segments.slice(0, index + 1).join('.'))
    .reverse();

const within = (path: string, ancestor: string): boolean =>
  path === ancestor || path.startsWith(`${ancestor}.`);

/**
 * The states an instance never leaves: XState's final states, and leaves that accept nothing: no
 * transition from them or an ancestor, and none from another region of a parallel ancestor that
 * leaves that ancestor (it would take this leaf along). An aggregate marks its ends that way on
 * purpose: a `final` state would stop the live actor.
 */
const endStates = (description: MachineDescription): ReadonlySet<string> => {
  const types = new Map<string, DescribedState['type']>();
  const leaves: DescribedState[] = [];
  const walk = (states: readonly DescribedState[]) => {
    for (const state of states) {
      types.set(state.path, state.type);
      if (state.type === 'final' || state.states.length === 0) leaves.push(state);
      walk(state.states);
    }
  };
  walk(description.states);
  const leavable = (leaf: string): boolean =>
    description.transitions.some(({ source, targets }) => {
      if (source === leaf || ancestorsOf(leaf).includes(source)) return true;
      return ancestorsOf(leaf).some((parallel) => {
        if (types.get(parallel) !== 'parallel') return false;
        const region = ancestorsOf(leaf).find((path) => ancestorsOf(path)[0] === parallel) ?? leaf;
        return (
          within(source, parallel) &&
          !within(source, region) &&
          targets.some((target) => !within(target, parallel))
        );
      });
    });
  return new Set(
    leaves.filter((state) => state.type === 'final' || !leavable(state.path)).map((state) => state.path),
  );
};

const finalLines = (states: readonly DescribedState[], ends: ReadonlySet<string>, indent: string): string[] =>
  states
    .filter((state) => ends.has(state.path))
    .map((state) => `${indent}${mermaidIdOf(state.path)} --> [*]`);

/**
 * The events a leaf handles without leaving it, as lines inside its box (`↻ PaymentRequested`): a
 * self-loop's label is laid out across the state's other edges. Composite states keep their loops
 * (Mermaid gives them no description lines).
 */
const stayLines = (description: MachineDescription): Map<string, string[]> => {
  const leaves = new Set<string>();
  const walk = (states: readonly DescribedState[]) => {
    for (const state of states) {
      if (state.states.length === 0) leaves.add(state.path);
      walk(state.states);
    }
  };
  walk(description.states);
  const lines = new Map<string, string[]>();
  for (const transition of description.transitions) {
    const stays =
      transition.targets.length === 0 || transition.targets.every((target) => target === transition.source);
    const label = transitionLabel(transition);
    if (!stays || !leaves.has(transition.source) || !label) continue;
    lines.set(transition.source, [...(lines.get(transition.source) ?? []), `↻ ${label}`]);
  }
  return lines;
};

/**
 * One edge per pair of states, its events one under the other: edges between the same two states
 * are drawn on one path by the layout, and their labels would lie on top of each other.
 */
const edges = (
  description: MachineDescription,
  inside: ReadonlySet<string>,
): { from: string; to: string; labels: string[] }[] => {
  const byPair = new Map<string, { from: string; to: string; labels: string[] }>();
  for (const transition of description.transitions) {
    const label = transitionLabel(transition);
    // a targetless transition stays where it is: drawn as a self-loop, unless written inside its state
    const targets = transition.targets.length > 0 ? transition.targets : [transition.source];
    for (const target of targets) {
      if (target === transition.source && inside.has(target)) continue;
      const from = mermaidIdOf(transition.source);
      const to = mermaidIdOf(target);
      const edge = byPair.get(`${from} ${to}`) ?? { from, to, labels: [] };
      if (label && !edge.labels.includes(label)) edge.labels.push(label);
      byPair.set(`${from} ${to}`, edge);
    }
  }
  return [...byPair.values()];
};

const stateLines = (state: DescribedState, ends: ReadonlySet<string>, indent: string): string[] => {
  const id = mermaidIdOf(state.path);
  const label = quote(state.key);
  if (state.states.length === 0) return [`${indent}state "${label}" as ${id}`];
  const inner = `${indent}  `;
  const body =
    state.type === 'parallel'
      ? // concurrent regions, separated by `--`
        state.states.flatMap((region, index) => [
          ...(index > 0 ? [`${inner}--`] : []),
          ...stateLines(region, ends, inner),
        ])
      : [
          ...state.states.flatMap((child) => stateLines(child, ends, inner)),
          ...(state.initial ? [`${inner}[*] --> ${mermaidIdOf(state.initial)}`] : []),
          ...finalLines(state.states, ends, inner),
        ];
  return [`${indent}state "${label}" as ${id} {`, ...body, `${indent}}`];
};

/**
 * The machine as a Mermaid `stateDiagram-v2`: compound states as composite states, parallel states
 * as composite states whose regions are separated by `--`, end states (final, or accepting nothing)
 * pointing to `[*]`, and one edge per pair of states labelled with its events and guards. Transitions are listed after the states, at the top
 * level, since they may cross composite boundaries (Mermaid draws those).
 */
export const toMermaid = (description: MachineDescription, options: MermaidOptions = {}): string => {
  const lines = ['stateDiagram-v2'];
  const ends = endStates(description);
  for (const state of description.states) lines.push(...stateLines(state, ends, '  '));
  const stays = stayLines(description);
  for (const [path, texts] of stays) {
    for (const text of texts) lines.push(`  ${mermaidIdOf(path)} : ${text}`);
  }
  if (description.initial) lines.push(`  [*] --> ${mermaidIdOf(description.initial)}`);
  for (const { from, to, labels } of edges(description, new Set(stays.keys()))) {
    lines.push(`  ${from} --> ${to}${labels.length > 0 ? ` : ${labels.join('<br/>')}` : ''}`);
  }
  lines.push(...finalLines(description.states, ends, '  '));
  if (options.active && options.active.length > 0) {
    lines.push(`  classDef ${ACTIVE_CLASS} fill:#ffd54f,stroke:#e65100,stroke-width:3px`);
    lines.push(`  class ${options.active.map(mermaidIdOf).join(',')} ${ACTIVE_CLASS}`);
  }
  return `${lines.join('\n')}\n`;
};

/** Every state path of the machine, mapped to its Mermaid id. */
export const mermaidIds = (description: MachineDescription): Record<string, string> => {
  const ids: Record<string, string> = {};
  const walk = (states: readonly DescribedState[]) => {
    for (const state of states) {
      ids[state.path] = mermaidIdOf(state.path);
      walk(state.states);
    }
  };
  walk(description.states);
  return ids;
};
