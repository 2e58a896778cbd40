// The story view: a correlation's commands and events (GET /v1/correlations/:id) as a Mermaid
// sequence diagram across aggregates and process managers, and as a list whose steps open that
// aggregate's or process-manager instance's chart at that version.
import { $, api, guarded } from './api.js';

/** Text Mermaid takes in labels: no statement separators or entity markers. */
const safe = (text) => String(text).replace(/[;#:<>]/g, ' ');

const actorOf = (step) => `${step.aggregateType}/${step.aggregateId}`;

const PROCESS_MANAGER = 'process-manager:';

/**
 * Who sent a command: the process-manager instance that handled its cause when a process manager
 * issued it (its Handled event shares the cause), else the actor of its cause; undefined: a client.
 */
const senderOf = (step, steps, byId) => {
  if (step.issuedBy?.startsWith(PROCESS_MANAGER)) {
    const name = step.issuedBy.slice(PROCESS_MANAGER.length);
    const handled = steps.find(
      (other) =>
        other.kind === 'event' &&
        other.aggregateType === name &&
        (other.id === step.causationId || other.causationId === step.causationId),
    );
    if (handled) return actorOf(handled);
  }
  const cause = byId.get(step.causationId);
  return cause ? actorOf(cause) : undefined;
};

/** Mermaid sequenceDiagram text: each command an arrow from its sender, each event a note. */
export const storyDiagram = (steps) => {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const actors = [];
  const alias = (name) => {
    if (!actors.includes(name)) actors.push(name);
    return `p${actors.indexOf(name)}`;
  };
  const lines = [];
  for (const step of steps) {
    const target = alias(actorOf(step));
    if (step.kind === 'event') {
      lines.push(`  Note over ${target}: v${step.version} ${safe(step.type)}`);
      continue;
    }
    const sender = senderOf(step, steps, byId);
    const from = sender ? alias(sender) : 'client';
    const answer = step.status === 'accepted' ? '✓' : `✗ ${safe(step.code)}`;
    lines.push(`  ${from}->>${target}: ${safe(step.type)} ${answer}`);
  }
  const participants = actors.map((name, index) => `  participant p${index} as ${safe(name)}`);
  return ['sequenceDiagram', '  participant client', ...participants, ...lines].join('\n');
};

/** `chartTypes()` names the stream types with a chart to open: aggregates and process managers. */
export const createStoryView = (mermaid, chartTypes) => {
  let renders = 0;
  const stepItem = (step) => {
    const item = document.createElement('li');
    item.className = `story-${step.kind}`;
    const label =
      step.kind === 'event'
        ? `${actorOf(step)} v${step.version} ${step.type}`
        : `${step.type} → ${actorOf(step)} ${step.status}${step.code ? ` ${step.code}` : ''}`;
    if (!chartTypes().includes(step.aggregateType)) {
      item.textContent = label;
      return item;
    }
    const link = document.createElement('a');
    const version = step.kind === 'event' ? `&version=${step.version}` : '';
    link.href = `#aggregate=${encodeURIComponent(step.aggregateType)}&id=${encodeURIComponent(step.aggregateId)}${version}`;
    link.textContent = label;
    item.append(link);
    return item;
  };

  const showStory = guarded(async (correlationId) => {
    const { steps } = await api(`/v1/correlations/${encodeURIComponent(correlationId)}`);
    const { svg } = await mermaid.render(`story-${++renders}`, storyDiagram(steps));
    $('#story-chart').innerHTML = svg;
    $('#story-steps').replaceChildren(...steps.map(stepItem));
  });

  $('#story-pick').addEventListener('submit', (event) => {
    event.preventDefault();
    void showStory($('#correlation-id').value.trim());
  });
  return { showStory };
};
