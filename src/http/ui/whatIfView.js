// Saved what-if runs (chronicle what-if --save; GET /v1/what-if/runs, admin): each run's divergences,
// each opening the stream's chart at the version where it diverges, stored and candidate side by side.
import { $, api, guarded } from './api.js';

const cell = (content, className) => {
  const td = document.createElement('td');
  td.append(content ?? '');
  if (className) td.className = className;
  return td;
};

const kinds = (summary) =>
  Object.entries(summary.divergences ?? {})
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ') || 'none';

/** The version whose state the divergence was decided or folded on: the chart opens there. */
export const chartVersion = (divergence) => {
  if (divergence.version === undefined) return undefined;
  const before = ['event-refused', 'fold-failed'].includes(divergence.kind)
    ? divergence.version - 1
    : divergence.version;
  return Math.max(1, before);
};

const describeOutcome = (outcome) => {
  switch (outcome?.status) {
    case 'accepted':
      return outcome.events.length === 0
        ? 'accepted, no events'
        : `accepted: ${outcome.events.map((event) => `${event.type} ${JSON.stringify(event.data)}`).join(', ')}`;
    case 'rejected':
      return `rejected ${outcome.code}: ${outcome.message}`;
    case 'failed':
      return `decide threw: ${outcome.message}`;
    default:
      return '';
  }
};

/** Stored and candidate outcome of a divergence, as two texts. */
export const outcomes = (divergence) => {
  switch (divergence.kind) {
    case 'event-refused':
      return {
        stored: `v${divergence.version} ${divergence.event} was appended`,
        candidate: `${divergence.event} refused in state ${JSON.stringify(divergence.state)}`,
      };
    case 'fold-failed':
      return {
        stored: `v${divergence.version} ${divergence.event} folded`,
        candidate: `folding it threw: ${divergence.message}`,
      };
    case 'event-unreadable':
      return { stored: 'read by the running deployment', candidate: `cannot read it: ${divergence.message}` };
    default:
      return { stored: describeOutcome(divergence.stored), candidate: describeOutcome(divergence.candidate) };
  }
};

const divergenceLink = (runId, divergence) => {
  const anchor = document.createElement('a');
  const version = chartVersion(divergence);
  anchor.href = `#aggregate=${encodeURIComponent(divergence.streamType)}&id=${encodeURIComponent(divergence.streamId)}${
    version ? `&version=${version}` : ''
  }&whatif=${runId}.${divergence.seq}`;
  anchor.textContent = `${divergence.streamType}/${divergence.streamId}`;
  return anchor;
};

export const createWhatIfView = () => {
  const showRun = guarded(async (runId) => {
    const run = await api(`/v1/what-if/runs/${runId}?limit=500`);
    $('#what-if-run-title').textContent =
      `${run.candidate} · saved ${new Date(run.savedAt).toLocaleString()} · ${
        run.summary.streamsChecked
      } streams checked, ${run.summary.streamsDiverging} diverging${run.next ? ' (first 500 divergences)' : ''}`;
    $('#what-if-divergences').replaceChildren(
      ...run.divergences.map((divergence) => {
        const row = document.createElement('tr');
        row.dataset.seq = String(divergence.seq);
        const { stored, candidate } = outcomes(divergence);
        row.append(
          cell(divergenceLink(runId, divergence)),
          cell(divergence.kind),
          cell(divergence.version === undefined ? '' : `v${divergence.version}`),
          cell(divergence.command ?? divergence.event ?? ''),
          cell(stored),
          cell(candidate, 'error'),
        );
        return row;
      }),
    );
  });

  const showWhatIf = guarded(async () => {
    const { runs } = await api('/v1/what-if/runs');
    $('#what-if-runs').replaceChildren(
      ...runs.map((run) => {
        const row = document.createElement('tr');
        row.dataset.run = run.runId;
        const open = document.createElement('button');
        open.type = 'button';
        open.textContent = 'Divergences';
        open.addEventListener('click', () => showRun(run.runId));
        row.append(
          cell(new Date(run.savedAt).toLocaleString()),
          cell(run.candidate),
          cell(String(run.summary.streamsChecked)),
          cell(String(run.summary.streamsDiverging)),
          cell(kinds(run.summary)),
          cell(open),
        );
        return row;
      }),
    );
    if (runs.length === 0)
      $('#what-if-run-title').textContent = 'No saved runs: chronicle what-if --candidate <config> --save';
  });

  /** The panel over the chart: what the store holds and what the candidate would do, side by side. */
  const showDivergence = guarded(async (runId, seq) => {
    const run = await api(`/v1/what-if/runs/${runId}?after=${seq - 1}&limit=1`);
    const divergence = run.divergences[0];
    if (!divergence) return;
    const { stored, candidate } = outcomes(divergence);
    $('#divergence-title').textContent = `what-if: ${divergence.kind}${
      divergence.command ? ` · ${divergence.command}` : ''
    } · the chart at v${chartVersion(divergence) ?? '?'} · ${run.candidate}`;
    $('#divergence-stored').textContent = stored;
    $('#divergence-candidate').textContent = candidate;
    $('#divergence').hidden = false;
  });

  return { showWhatIf, showDivergence };
};
