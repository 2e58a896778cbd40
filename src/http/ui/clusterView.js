// The cluster view: pods, the command shard queues, and a heat map of every leased partition's lag,
// read from /v1/cluster every POLL_MS while the tab is open.
import { $, api, showStatus } from './api.js';

const POLL_MS = 2000;

const cell = (text, className) => {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
};

const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');

/** Green at no lag, through yellow, to red at 100 s or more (log scale: a second already shows). */
const heat = (lag) => {
  const share = Math.min(1, Math.log10(1 + lag.seconds) / 2);
  return `hsl(${Math.round(120 * (1 - share))}, 70%, ${lag.events > 0 || lag.seconds > 0 ? 75 : 88}%)`;
};

const showPods = (pods) =>
  $('#cluster-pods').replaceChildren(
    ...pods.map((pod) => {
      const row = document.createElement('tr');
      row.dataset.pod = pod.id;
      row.dataset.state = pod.state;
      row.append(
        cell(pod.kind),
        cell(pod.id),
        cell(`${pod.host} (pid ${pod.pid})`),
        cell(pod.version),
        cell(time(pod.startedAt)),
        cell(time(pod.heartbeatAt)),
        cell(pod.state, `pod-${pod.state}`),
      );
      return row;
    }),
  );

const showShards = (shards) =>
  $('#cluster-shards').replaceChildren(
    ...shards.map((shard) => {
      const box = document.createElement('li');
      box.dataset.shard = String(shard.shard);
      const running = shard.active ? `running on ${shard.active.pod ?? '?'}` : 'idle';
      box.textContent = `${shard.queue} · ${shard.pods.join(', ') || 'no live pod'} · ${running} · ${shard.waiting} waiting`;
      box.title = shard.active ? `command ${shard.active.commandId}` : '';
      box.classList.toggle('unworked', shard.pods.length === 0);
      return box;
    }),
  );

/** One row per subscription, one cell per partition, coloured by its lag and naming its holder. */
const showHeatMap = (partitions) => {
  const rows = new Map();
  for (const partition of partitions) {
    const key = partition.subscription;
    if (!rows.has(key)) rows.set(key, { kind: partition.kind, cells: [] });
    rows.get(key).cells.push(partition);
  }
  $('#cluster-heat').replaceChildren(
    ...[...rows].map(([subscription, { kind, cells }]) => {
      const row = document.createElement('div');
      row.className = 'heat-row';
      const label = document.createElement('span');
      label.className = 'heat-label';
      label.textContent = `${subscription} (${kind})`;
      row.append(label);
      for (const partition of cells) {
        const box = document.createElement('span');
        box.className = `heat-cell state-${partition.state}`;
        box.dataset.subscription = subscription;
        box.dataset.partition = String(partition.partition);
        box.dataset.owner = partition.owner ?? '';
        box.style.background = heat(partition.lag);
        const lag = `${partition.lag.estimated ? '~' : ''}${partition.lag.events} ev, ${partition.lag.seconds.toFixed(1)} s`;
        box.textContent = `#${partition.partition} ${partition.owner ?? partition.state} · ${lag}`;
        box.title = `${subscription} #${partition.partition}: ${partition.state}${
          partition.lastOwner ? ` (last held by ${partition.lastOwner})` : ''
        }`;
        row.append(box);
      }
      return row;
    }),
  );
};

export const createClusterView = () => {
  let polling = false;

  const refresh = async () => {
    const view = await api('/v1/cluster');
    showPods(view.pods);
    showShards(view.shards);
    showHeatMap(view.partitions);
    $('#cluster-updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  };

  /** Polls while the tab is shown; leaving the tab ends the loop at its next turn. */
  const showCluster = async () => {
    if (polling) return;
    polling = true;
    while (!$('#view-cluster').hidden) {
      try {
        await refresh();
      } catch (error) {
        showStatus(error.message);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    polling = false;
  };

  return { showCluster };
};
