import { type Db, query } from './sql.js';

/**
 * Events per stored event type, from the counters appends maintain (es_event_type_counts: at most
 * a row per type and connection slot), never a count of es_events. Highest count first.
 */
export const readEventTypeCounts = async (db: Db): Promise<Record<string, number>> => {
  const rows = await query<{ type: string; events: string }>(
    db,
    'select type, sum(events) as events from es_event_type_counts group by type order by sum(events) desc, type',
  );
  return Object.fromEntries(rows.map((row) => [row.type, Number(row.events)]));
};
