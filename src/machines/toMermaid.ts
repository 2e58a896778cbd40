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

const finalLines = (states: readonly DescribedState[], indent: string): string[] =>
  states
    .filter((state) => state.type === 'final')
    .map((state) => `${indent}${mermaidIdOf(state.path)} --> [*]`);

const stateLines = (state: DescribedState, indent: string): string[] => {
  const id = mermaidIdOf(state.path);
  const label = quote(state.key);
  if (state.states.length === 0) return [`${indent}state "${label}" as ${id}`];
  const inner = `${indent}  `;
  const body =
    state.type === 'parallel'
      ? // concurrent regions, separated by `--`
        state.states.flatMap((region, index) => [
          ...(index > 0 ? [`${inner}--`] : []),
          ...stateLines(region, inner),
        ])
      : [
          ...state.states.flatMap((child) => stateLines(child, inner)),
          ...(state.initial ? [`${inner}[*] --> ${mermaidIdOf(state.initial)}`] : []),
          ...finalLines(state.states, inner),
        ];
  return [`${indent}state "${label}" as ${id} {`, ...body, `${indent}}`];
};

/**
 * The machine as a Mermaid `stateDiagram-v2`: compound states as composite states, parallel states
 * as composite states whose regions are separated by `--`, final states pointing to `[*]`, and every
 * transition labelled with its event and guard. Transitions are listed after the states, at the top
 * level, since they may cross composite boundaries (Mermaid draws those).
 */
export const toMermaid = (description: MachineDescription, options: MermaidOptions = {}): string => {
  const lines = ['stateDiagram-v2'];
  for (const state of description.states) lines.push(...stateLines(state, '  '));
  if (description.initial) lines.push(`  [*] --> ${mermaidIdOf(description.initial)}`);
  for (const transition of description.transitions) {
    const label = transitionLabel(transition);
    // a targetless transition stays where it is: drawn as a self-loop
    const targets = transition.targets.length > 0 ? transition.targets : [transition.source];
    for (const target of targets) {
      lines.push(
        `  ${mermaidIdOf(transition.source)} --> ${mermaidIdOf(target)}${label ? ` : ${label}` : ''}`,
      );
    }
  }
  lines.push(...finalLines(description.states, '  '));
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
