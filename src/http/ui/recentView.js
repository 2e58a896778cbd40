// The start page: what is there. Each aggregate type's and process manager's streams, most recently
// appended to first (GET /v1/streams), and a search by id across them; each opens its chart.
import { $, api, guarded } from './api.js';

const PER_TYPE = 10;

const link = (stream) => {
  const item = document.createElement('li');
  const anchor = document.createElement('a');
  anchor.href = `#aggregate=${encodeURIComponent(stream.type)}&id=${encodeURIComponent(stream.id)}`;
  anchor.textContent = stream.id;
  anchor.dataset.type = stream.type;
  const when = document.createElement('span');
  when.className = 'when';
  when.textContent = `v${stream.version} · ${new Date(stream.updatedAt).toLocaleString()}`;
  item.append(anchor, when);
  return item;
};

const group = (title, kind, streams) => {
  const box = document.createElement('section');
  box.className = 'recent-type';
  box.dataset.kind = kind;
  const heading = document.createElement('h3');
  heading.textContent = title;
  const list = document.createElement('ol');
  list.append(...streams.map(link));
  if (streams.length === 0)
    list.append(Object.assign(document.createElement('li'), { textContent: 'none yet' }));
  box.append(heading, list);
  return box;
};

/** `machines()`: the described machines (aggregates and process managers), in the order to show them. */
export const createRecentView = (machines) => {
  const showRecent = guarded(async () => {
    const kinds = machines();
    const lists = await Promise.all(
      kinds.map(async (machine) => {
        const query = new URLSearchParams({ type: machine.aggregateType, limit: String(PER_TYPE) });
        const { streams } = await api(`/v1/streams?${query}`);
        const label = machine.kind === 'process-manager' ? 'process manager' : 'aggregate';
        const box = group(`${machine.aggregateType} (${label})`, machine.kind, streams);
        box.dataset.type = machine.aggregateType;
        return box;
      }),
    );
    $('#recent-lists').replaceChildren(...lists);
  });

  const search = guarded(async (id) => {
    const { streams } = await api(`/v1/streams?${new URLSearchParams({ id })}`);
    const found = group(
      `"${id}"`,
      'search',
      streams.map((stream) => ({ ...stream, id: stream.id })),
    );
    // a match names its type: the same id may be an order and an order-payment instance
    for (const anchor of found.querySelectorAll('a'))
      anchor.textContent = `${anchor.dataset.type}/${anchor.textContent}`;
    $('#search-results').replaceChildren(found);
  });

  return { showRecent, search };
};
