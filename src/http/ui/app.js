// The visualiser: ES modules, no build step. Every request goes to this same server (the page's
// Content-Security-Policy allows nothing else). Mermaid comes from /ui/mermaid.min.js.
import { $, api, authHeaders, CREDENTIALS, credentials, guarded, showStatus } from './api.js';
import { createClusterView } from './clusterView.js';
import { createOperationsViews } from './operationsViews.js';
import { createRecentView } from './recentView.js';
import { createStoryView } from './storyView.js';
import { createWhatIfView } from './whatIfView.js';

const mermaid = globalThis.mermaid;

const state = {
  machines: new Map(),
  renderedType: undefined,
  nodes: new Map(), // mermaid id -> rendered <g> elements
  type: undefined,
  id: undefined,
  head: 0,
  selected: 0,
  events: [],
  live: undefined, // AbortController of the live stream
  roles: [],
};

// ---- the chart ----

let renders = 0;

const renderMachine = async (type) => {
  if (state.renderedType === type) return;
  const machine = state.machines.get(type) ?? (await api(`/v1/machines/${type}`));
  state.machines.set(type, machine);
  const renderId = `chart-${++renders}`;
  const { svg } = await mermaid.render(renderId, machine.mermaid);
  $('#chart').innerHTML = svg;
  // rendered states are <g id="<renderId>-state-<mermaidId>-<n>">, composite ones included
  state.nodes = new Map();
  const pattern = new RegExp(`^${renderId}-state-([A-Za-z0-9_]+)-\\d+$`);
  for (const node of $('#chart').querySelectorAll('g[id]')) {
    const id = pattern.exec(node.id)?.[1];
    if (id) state.nodes.set(id, [...(state.nodes.get(id) ?? []), node]);
  }
  state.renderedType = type;
};

/** Lights the leaf states of `activePaths` and outlines their composite ancestors. */
const highlight = (activePaths) => {
  const ids = state.machines.get(state.type).mermaidIds;
  for (const node of $('#chart').querySelectorAll('.state-active, .state-active-parent')) {
    node.classList.remove('state-active', 'state-active-parent');
  }
  for (const path of activePaths) {
    const leaf = !activePaths.some((other) => other.startsWith(`${path}.`));
    for (const node of state.nodes.get(ids[path]) ?? []) {
      node.classList.add(leaf ? 'state-active' : 'state-active-parent');
    }
  }
};

// ---- history ----

/** Where an instance's state and events are read: an aggregate's, or a process manager's. */
const instancePath = (type, id) =>
  `/v1/${state.machines.get(type)?.kind === 'process-manager' ? 'process-managers' : 'aggregates'}/${type}/${encodeURIComponent(id)}`;

/** `{ placed: { payment: 'paid' } }` → `placed.payment.paid`, as the CLI prints it. */
const formatValue = (value) =>
  typeof value === 'string'
    ? value
    : Object.entries(value)
        .flatMap(([key, inner]) =>
          inner === undefined
            ? [key]
            : formatValue(inner)
                .split(', ')
                .map((leaf) => `${key}.${leaf}`),
        )
        .join(', ');

const showState = (snapshot) => {
  highlight(snapshot.activePaths);
  state.selected = snapshot.version;
  $('#version').textContent = `v${snapshot.version} of ${state.head}`;
  $('#state-value').textContent = formatValue(snapshot.value);
  // a process manager's pending deadlines are part of its state
  const shown = snapshot.deadlines
    ? { context: snapshot.context, deadlines: snapshot.deadlines }
    : snapshot.context;
  $('#context').textContent = JSON.stringify(shown, null, 2);
  $('#history').max = String(state.head);
  $('#history').value = String(snapshot.version);
  $('#history').disabled = state.head < 1;
  for (const item of $('#events').children) {
    item.classList.toggle('selected', Number(item.dataset.version) === snapshot.version);
  }
};

const stepTo = guarded(async (version) => {
  const { type, id } = state;
  showState(await api(`${instancePath(type, id)}/at/${version}`));
});

/** A process manager's event says what the input made it do: `→ RequestPayment, PAYMENT_TIMEOUT`. */
const decided = (event) => {
  const outputs = Array.isArray(event.data?.outputs) ? event.data.outputs : [];
  const names = outputs.map((output) =>
    output.kind === 'command' ? output.type : `${output.kind} ${output.name}`,
  );
  return names.length > 0 ? ` → ${names.join(', ')}` : '';
};

/** The stories its events are part of: each correlation once, with the versions it wrote. */
const addStory = (event) => {
  const id = event.metadata?.correlationId;
  if (!id) return;
  let item = [...$('#stories').children].find((child) => child.dataset.correlation === id);
  if (!item) {
    item = document.createElement('li');
    item.dataset.correlation = id;
    const anchor = document.createElement('a');
    anchor.href = `#story=${encodeURIComponent(id)}`;
    anchor.textContent = id;
    const versions = document.createElement('span');
    versions.className = 'when';
    item.append(anchor, versions);
    $('#stories').append(item);
  }
  const versions = [...(item.dataset.versions?.split(',') ?? []).filter(Boolean), String(event.version)];
  item.dataset.versions = versions.join(',');
  item.lastChild.textContent = `v${versions.join(', v')}`;
};

const addEvent = (event, fresh) => {
  state.events.push(event);
  const item = document.createElement('li');
  item.dataset.version = String(event.version);
  if (fresh) item.classList.add('fresh');
  const button = document.createElement('button');
  button.type = 'button';
  const when = document.createElement('span');
  when.className = 'when';
  when.textContent = new Date(event.recordedAt).toLocaleTimeString();
  button.append(`v${event.version} ${event.type}${decided(event)}`, when);
  button.addEventListener('click', () => stepTo(event.version));
  item.append(button);
  $('#events').append(item);
  addStory(event);
};

// ---- live events: fetch streaming, since EventSource cannot send the credentials header ----

const parseFrames = (buffer, onFrame) => {
  let rest = buffer;
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const frame = { id: undefined, data: '' };
    for (const line of rest.slice(0, end).split('\n')) {
      if (line.startsWith('id:')) frame.id = line.slice(3).trim();
      else if (line.startsWith('data:')) frame.data += line.slice(5).trim();
    }
    rest = rest.slice(end + 2);
    if (frame.data) onFrame(frame);
  }
  return rest;
};

const setLive = (on) => {
  $('#live').textContent = on ? 'live' : 'offline';
  $('#live').classList.toggle('on', on);
};

const onLiveEvent = async (event) => {
  if (event.version <= state.head) return;
  const following = $('#follow').checked && state.selected === state.head;
  state.head = event.version;
  addEvent(event, true);
  if (following) return stepTo(event.version);
  // looking at the past: the highlight stays, only the head moves
  $('#version').textContent = `v${state.selected} of ${state.head}`;
  $('#history').max = String(state.head);
};

/** Follows one instance (aggregate or process manager); after a drop it resumes from the last id it got (Last-Event-ID). */
const follow = async (type, id, lastId, signal) => {
  let last = lastId;
  while (!signal.aborted) {
    try {
      const query = new URLSearchParams({
        aggregateType: type,
        aggregateId: id,
        ...(last ? {} : { from: 'start' }),
      });
      const headers = { ...authHeaders(), ...(last ? { 'last-event-id': last } : {}) };
      const response = await fetch(`/v1/stream?${query}`, { headers, signal });
      if (!response.ok) throw new Error(`live stream: ${response.status}`);
      setLive(true);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const frames = [];
        buffer = parseFrames(buffer + value, (frame) => frames.push(frame));
        for (const frame of frames) {
          last = frame.id;
          await onLiveEvent(JSON.parse(frame.data));
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      showStatus(error.message);
    }
    setLive(false);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
};

// ---- the instance view: an aggregate's or a process manager's ----

const showAggregate = guarded(async (type, id, atVersion) => {
  state.live?.abort();
  setLive(false);
  Object.assign(state, { type, id, events: [], head: 0, selected: 0 });
  $('#events').replaceChildren();
  $('#stories').replaceChildren();
  // a what-if divergence shown over the chart belongs to the instance it was opened with
  $('#divergence').hidden = true;
  location.hash = `#aggregate=${encodeURIComponent(type)}&id=${encodeURIComponent(id)}`;
  await renderMachine(type);
  let last;
  try {
    const { events, version } = await api(`${instancePath(type, id)}/events`);
    state.head = version;
    for (const event of events) addEvent(event, false);
    const newest = events.at(-1);
    if (newest) last = `${newest.transactionId}-${newest.globalPosition}`;
    showState(await api(instancePath(type, id)));
    // opened at a version (a story step): stay there while new events come in
    if (atVersion && atVersion < state.head) {
      $('#follow').checked = false;
      showState(await api(`${instancePath(type, id)}/at/${atVersion}`));
    }
  } catch (error) {
    if (error.status !== 404) throw error;
    showStatus(`${type}/${id} has no events yet: waiting for them`);
    highlight([]);
  }
  state.live = new AbortController();
  void follow(type, id, last, state.live.signal);
});

// ---- wiring ----

const { showProjections, showDeadLetters } = createOperationsViews(() => state.roles);

const { showCluster } = createClusterView();

const { showWhatIf, showDivergence } = createWhatIfView();

const { showRecent, search } = createRecentView(() => [
  ...[...state.machines.values()].filter((machine) => machine.kind === 'aggregate'),
  ...[...state.machines.values()].filter((machine) => machine.kind === 'process-manager'),
]);

const { showStory } = createStoryView(mermaid, () => [...state.machines.keys()]);

const views = {
  recent: showRecent,
  aggregate: () => {},
  story: () => {},
  projections: showProjections,
  'dead-letters': showDeadLetters,
  cluster: () => void showCluster(),
  'what-if': showWhatIf,
};

const showView = (name) => {
  for (const button of document.querySelectorAll('nav button')) {
    button.classList.toggle('selected', button.dataset.view === name);
  }
  for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== `view-${name}`;
  views[name]();
};

const signIn = guarded(async () => {
  const me = await api('/v1/whoami');
  state.roles = me.roles ?? [];
  $('#whoami').textContent = `${me.id} (${state.roles.join(', ')})`;
  const { machines } = await api('/v1/machines');
  for (const machine of machines) state.machines.set(machine.aggregateType, machine);
  const group = (label, kind) => {
    const element = document.createElement('optgroup');
    element.label = label;
    element.append(
      ...machines
        .filter((machine) => machine.kind === kind)
        .map((machine) => new Option(machine.aggregateType, machine.aggregateType)),
    );
    return element;
  };
  $('#aggregate-type').replaceChildren(
    group('Aggregates', 'aggregate'),
    group('Process managers', 'process-manager'),
  );
  await openFromHash();
});

/** `#aggregate=<type>&id=<id>[&version=<n>]` opens a chart; `#story=<correlation id>` a story. */
const openFromHash = async () => {
  const wanted = new URLSearchParams(location.hash.slice(1));
  if (wanted.get('story')) {
    showView('story');
    $('#correlation-id').value = wanted.get('story');
    await showStory(wanted.get('story'));
  } else if (wanted.get('aggregate') && wanted.get('id')) {
    showView('aggregate');
    $('#aggregate-type').value = wanted.get('aggregate');
    $('#aggregate-id').value = wanted.get('id');
    const version = Number(wanted.get('version')) || undefined;
    if (wanted.get('aggregate') !== state.type || wanted.get('id') !== state.id || version)
      await showAggregate(wanted.get('aggregate'), wanted.get('id'), version);
    // a what-if divergence (`whatif=<run id>.<seq>`): stored and candidate outcome over the chart
    const [runId, seq] = (wanted.get('whatif') ?? '').split('.');
    if (runId && Number(seq) > 0) await showDivergence(runId, Number(seq));
  } else {
    // nothing asked for: open on what is there
    showView('recent');
  }
};
window.addEventListener('hashchange', () => void openFromHash());

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });

$('#credentials').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(
    CREDENTIALS,
    JSON.stringify({ kind: $('#credential-kind').value, value: $('#credential').value }),
  );
  $('#credential').value = '';
  void signIn();
});
$('#pick').addEventListener('submit', (event) => {
  event.preventDefault();
  void showAggregate($('#aggregate-type').value, $('#aggregate-id').value.trim());
});
$('#search').addEventListener('submit', (event) => {
  event.preventDefault();
  void search($('#search-id').value.trim());
});
$('#history').addEventListener('change', () => stepTo(Number($('#history').value)));
for (const button of document.querySelectorAll('nav button')) {
  button.addEventListener('click', () => showView(button.dataset.view));
}
// `chronicle dev` prints the UI address with its key in the fragment, which never leaves the
// browser: keep it for this tab like a typed-in key, and take it out of the address bar
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('key')) {
  sessionStorage.setItem(CREDENTIALS, JSON.stringify({ kind: 'api-key', value: fragment.get('key') }));
  fragment.delete('key');
  const rest = fragment.toString();
  history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
}
if (credentials()) {
  $('#credential-kind').value = credentials().kind;
  void signIn();
}
