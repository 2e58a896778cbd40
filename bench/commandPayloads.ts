import { domainEventSchemas } from '../actors/index.js';
import { buildEnvelope } from '../src/commands/index.js';
import { createOrm } from '../src/db/index.js';
import { createPostgresEventStore, query } from '../src/eventStore/index.js';
import { commandRecordOf } from '../src/messages/index.js';
import { placeOrderPayload } from '../test/support/orderCommands.js';
import { benchEnvironment } from './benchEnvironment.js';
import { type LoadFigures, measureLoad, pickMedian, ratio } from './stats.js';

/** The sample's PlaceOrder, as a client sends it: a typical payload of a few fields. */
const payload = placeOrderPayload;

/**
 * What keeping each command's payload in the ledger costs: appends of one PlaceOrder each, with the
 * payload kept and without (the column left null, as before it existed), alone and 16 at a time
 * (group commit), medians of `rounds` interleaved runs; and the bytes it adds per command: the
 * payload's stored size, the partial index's share, and the table's growth per row.
 */
export const commandPayloadBench = async (count = 2_000, rounds = 3) => {
  const env = await benchEnvironment('payloads');
  const orm = await createOrm(env.databaseUrl);
  const knex = orm.em.getKnex();
  const store = createPostgresEventStore(orm, { schemas: domainEventSchemas });
  let streams = 0;
  const append = async (keep: boolean) => {
    const envelope = buildEnvelope({
      aggregateType: 'order',
      aggregateId: `${keep ? 'kept' : 'none'}-${streams++}`,
      type: 'PlaceOrder',
      payload,
    });
    const record = commandRecordOf(envelope);
    await store.append({
      streamType: 'order',
      streamId: envelope.aggregateId,
      expectedVersion: 0,
      events: [{ type: 'OrderPlaced', data: { ...payload, currency: 'EUR', placedAt: envelope.issuedAt } }],
      metadata: {
        commandId: envelope.commandId,
        correlationId: envelope.correlationId,
        causationId: envelope.causationId,
      },
      command: keep ? record : { ...record, payload: undefined },
    });
  };
  const tableBytes = async () =>
    Number(
      (await query<{ bytes: string }>(knex, `select pg_table_size('es_commands')::text as bytes`))[0]?.bytes,
    );
  try {
    const figures: Record<string, unknown> = {};
    for (const concurrency of [1, 16]) {
      const runs = { kept: [] as LoadFigures[], none: [] as LoadFigures[] };
      for (let round = 0; round < rounds; round++) {
        // alternate which goes first, so a spell of load hits both alike
        const order = round % 2 === 0 ? (['none', 'kept'] as const) : (['kept', 'none'] as const);
        for (const mode of order)
          runs[mode].push(await measureLoad(count, concurrency, () => append(mode === 'kept')));
      }
      const kept = pickMedian(runs.kept);
      const none = pickMedian(runs.none);
      figures[`concurrency${concurrency}`] = {
        kept,
        none,
        p50KeptVsNone: ratio(kept.p50Ms, none.p50Ms),
        throughputKeptVsNone: ratio(kept.perSecond, none.perSecond),
      };
    }
    // bytes: the same number of rows again, each mode alone, measuring the table's growth
    await query(knex, 'vacuum es_commands');
    const grow = async (keep: boolean) => {
      const before = await tableBytes();
      await measureLoad(count, 16, () => append(keep));
      return ((await tableBytes()) - before) / count;
    };
    const tableBytesPerRowNone = Math.round(await grow(false));
    const tableBytesPerRowKept = Math.round(await grow(true));
    const [sizes] = await query<{ payload: string; kept: string; index: string }>(
      knex,
      `select avg(pg_column_size(payload))::numeric(10,1)::text as payload,
         count(*) filter (where payload is not null)::text as kept,
         pg_relation_size('es_commands_payload_kept')::text as index
       from es_commands`,
    );
    figures.bytes = {
      payloadJson: JSON.stringify(payload).length,
      payloadStored: Number(sizes?.payload),
      indexPerKeptCommand: Math.round(Number(sizes?.index) / Number(sizes?.kept)),
      tableBytesPerRowNone,
      tableBytesPerRowKept,
    };
    return figures;
  } finally {
    await orm.close(true);
    await env.drop();
  }
};
