// The operator views: projections (lag, state, errors, retry and rebuild) and dead letters (retry).
import { $, api, guarded } from './api.js';

/** `roles()` tells whether the signed-in principal may act (admin) or only look. */
export const createOperationsViews = (roles) => {
  const cell = (text, className) => {
    const td = document.createElement('td');
    td.textContent = text ?? '';
    if (className) td.className = className;
    return td;
  };

  const actionCell = (label, action) => {
    const td = document.createElement('td');
    if (!roles().includes('admin')) return td;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.addEventListener('click', guarded(action));
    td.append(button);
    return td;
  };

  const showProjections = guarded(async () => {
    const { projections } = await api('/v1/projections');
    $('#projections').replaceChildren(
      ...projections.map((p) => {
        const row = document.createElement('tr');
        const error = p.partitions.find((partition) => partition.error)?.error;
        row.append(
          cell(p.name),
          cell(p.rebuilding ? 'rebuilding' : p.state, `state-${p.state}`),
          cell(String(p.lag.events)),
          cell(p.lag.seconds.toFixed(1)),
          cell(error ? `${error.message} (${error.eventType ?? ''} ${error.streamId ?? ''})` : '', 'error'),
        );
        const actions = actionCell('Retry', async () => {
          await api(`/v1/projections/${p.name}/retry`, { method: 'POST' });
          await showProjections();
        });
        // only a projection has a read model to rebuild (the NATS outbox is a subscription)
        if (roles().includes('admin') && p.kind !== 'subscription') {
          const rebuild = document.createElement('button');
          rebuild.type = 'button';
          rebuild.textContent = 'Rebuild';
          rebuild.addEventListener(
            'click',
            guarded(async () => {
              await api(`/v1/projections/${p.name}/rebuild`, { method: 'POST' });
              await showProjections();
            }),
          );
          actions.append(' ', rebuild);
        }
        row.append(actions);
        return row;
      }),
    );
  });

  const showDeadLetters = guarded(async () => {
    const { deadLetters } = await api('/v1/dead-letters');
    $('#dead-letters').replaceChildren(
      ...deadLetters.map((letter) => {
        const row = document.createElement('tr');
        row.append(
          cell(letter.commandId),
          cell(`${letter.aggregateType}/${letter.aggregateId}`),
          cell(letter.type),
          cell(letter.reason, 'error'),
          cell(letter.failedAt ? new Date(letter.failedAt).toLocaleString() : ''),
          actionCell('Retry', async () => {
            await api(`/v1/dead-letters/${encodeURIComponent(letter.commandId)}/retry`, { method: 'POST' });
            await showDeadLetters();
          }),
        );
        return row;
      }),
    );
  });

  return { showProjections, showDeadLetters };
};
