import type { PersistedAggregateState } from '../../aggregate/index.js';
import { type EventSchemas, personalEventTypes } from '../../eventSchemas/index.js';
import { deploymentKeyring, type SealedState, sealState } from '../../personalData/index.js';
import type { StoredSnapshot } from '../eventStore.js';
import { type Db, query } from './sql.js';

type SubjectKeyRow = { subject: string; kek_id: string | null; wrapped: Buffer | null };

/**
 * A snapshot's state as stored. A stream type without personal data, or a stream whose events
 * seal none: as it is. Otherwise sealed with the data keys of every subject its events name up to
 * the snapshot's version (sealState), or `skip` when one of them was forgotten: the state may have
 * been folded before the forgetting, and a stream of a forgotten subject is folded from its events.
 */
export const sealSnapshot = async (
  db: Db,
  schemas: EventSchemas,
  snapshot: Omit<StoredSnapshot, 'takenAt'>,
): Promise<{ readonly state: PersistedAggregateState | SealedState } | 'skip'> => {
  const { streamType, streamId, version, state } = snapshot;
  if (!personalEventTypes(schemas).some((type) => type.startsWith(`${streamType} `))) return { state };
  const rows = await query<SubjectKeyRow>(
    db,
    `select s.subject, k.kek_id, k.wrapped
     from (select distinct unnest(subjects) as subject from es_events
           where stream_type = ? and stream_id = ? and version <= ? and subjects is not null) s
       left join es_data_keys k on k.subject = s.subject`,
    [streamType, streamId, version],
  );
  if (rows.length === 0) return { state };
  const keys = new Map<string, Buffer>();
  for (const { subject, kek_id, wrapped } of rows) {
    if (kek_id === null || wrapped === null) return 'skip';
    keys.set(subject, deploymentKeyring().unwrap(subject, { kekId: kek_id, wrapped }));
  }
  return { state: sealState(state, keys) };
};
