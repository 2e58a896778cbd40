import pg from 'pg';
import { benchEnvironment } from './benchEnvironment.js';
import { buildScaleStore, eventsOf, type ScaleShape } from './scaleStore.js';

type Relation = { table: string; heap: string; indexes: string };
type Index = { index: string; bytes: string };

const perRow = (bytes: string, rows: number) => Math.round(Number(bytes) / rows);

/**
 * What the store costs on disk per event, per command and per stream (docs/scale.md): a store shaped
 * like the runtime's own appends (bench/scaleStore.ts), vacuumed, each es_* table's heap and indexes
 * divided by its rows.
 */
export const storeSizes = async (
  shape: ScaleShape = { orders: 40_000, longStreams: 1, longLength: 50_000 },
) => {
  const env = await benchEnvironment('sizes');
  const client = new pg.Client({ connectionString: env.databaseUrl });
  try {
    await buildScaleStore(env.databaseUrl, shape);
    await client.connect();
    await client.query('vacuum analyze');
    const relations = (
      await client.query<Relation>(`
        select c.relname as table, pg_relation_size(c.oid) + coalesce(pg_relation_size(c.reltoastrelid), 0) as heap,
          pg_indexes_size(c.oid) as indexes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and c.relname in ('es_events', 'es_commands', 'es_streams')`)
    ).rows;
    const indexes = (
      await client.query<Index>(`select indexrelname as index, pg_relation_size(indexrelid) as bytes
        from pg_stat_user_indexes where relname = 'es_events' order by bytes desc`)
    ).rows;
    const events = eventsOf(shape);
    const streams = shape.orders + shape.longStreams;
    const of = (table: string) => relations.find((relation) => relation.table === table);
    const [event, command, stream] = [of('es_events'), of('es_commands'), of('es_streams')];
    if (!event || !command || !stream) throw new Error('the es_* tables are missing');
    return {
      events,
      streams,
      bytesPerEvent: { row: perRow(event.heap, events), indexes: perRow(event.indexes, events) },
      // one command per event in this store, as the sample's commands append one event each
      bytesPerCommand: { row: perRow(command.heap, events), indexes: perRow(command.indexes, events) },
      bytesPerStream: { row: perRow(stream.heap, streams), indexes: perRow(stream.indexes, streams) },
      eventIndexBytesPerEvent: Object.fromEntries(
        indexes.map((index) => [index.index, perRow(index.bytes, events)]),
      ),
    };
  } finally {
    await client.end().catch(() => undefined);
    await env.drop();
  }
};
