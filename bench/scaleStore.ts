import pg from 'pg';

/** A store's shape: order streams of five events, and a few long streams (a product re-priced all day). */
export type ScaleShape = {
  readonly orders: number;
  readonly longStreams: number;
  readonly longLength: number;
};

export const eventsOf = (shape: ScaleShape) => shape.orders * 5 + shape.longStreams * shape.longLength;

/** Most orders per transaction while building: each chunk is one transaction id, as a burst of appends. */
const CHUNK_ORDERS = 20_000;

/*
 * Ids as the runtime makes them: event, command and correlation ids time-ordered (uuid v7: a
 * growing prefix, then random bits), stream ids random.
 *
 * The order streams of orders [from, to): placed, payment initiated, paid, in transit, delivered,
 * every fifth order in euros and the rest in dollars, each event its own command (es_commands
 * row), its metadata as the runtime writes it (command, correlation and causation ids, issuedAt,
 * the append span's traceparent). Each order's next event comes about 200 orders later, so its
 * five events are spread over the chunk as live traffic spreads them, not side by side.
 */
const ordersSql = `
  with o as (
    select g as n, md5('order-' || g)::uuid::text as id, md5('customer-' || (g % 50000))::uuid::text as customer
    from generate_series($1::int, $2::int - 1) g
  ), e as (
    select o.n, o.id, o.customer, v.version,
      (array['OrderPlaced', 'OrderPaymentInitiated', 'OrderPaid', 'OrderShippingStatusUpdated',
        'OrderShippingStatusUpdated'])[v.version] as type,
      $3::timestamptz + (o.n * interval '20 ms') + (v.version * interval '1 minute') as at,
      (lpad(to_hex(o.n * 8 + v.version), 16, '0') || left(md5('cmd-' || o.n || '-' || v.version), 16))::uuid
        as command_id,
      (lpad(to_hex(o.n * 8), 16, '0') || left(md5('corr-' || o.n), 16))::uuid as correlation_id
    from o cross join generate_series(1, 5) as v(version)
  ), inserted as (
    insert into es_events (stream_type, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at)
    select 'order', e.id, e.version,
      (lpad(to_hex(e.n * 8 + e.version), 16, '0') || left(md5('event-' || e.n || '-' || e.version), 16))::uuid, e.type,
      case when e.version = 1 then 2 else 1 end,
      case e.version
        when 1 then jsonb_build_object('customerId', e.customer, 'productId', md5('product-' || (e.n % 997))::uuid,
          'vendorId', md5('vendor-' || (e.n % 31))::uuid, 'quantity', 1 + e.n % 5, 'totalPrice', 10 + e.n % 490,
          'paymentMethod', 'CARD', 'placedAt', e.at, 'currency', case when e.n % 5 = 0 then 'EUR' else 'USD' end)
        when 4 then '{"status":"IN_TRANSIT"}'::jsonb
        when 5 then '{"status":"DELIVERED"}'::jsonb
        else '{}'::jsonb
      end,
      jsonb_build_object('commandId', e.command_id, 'correlationId', e.correlation_id,
        'causationId', e.command_id, 'issuedAt', e.at, 'issuedBy', 'user-' || (e.n % 1000),
        'traceparent', '00-' || md5('trace-' || e.n || e.version) || '-' || left(md5('span-' || e.n || e.version), 16) || '-01'),
      e.at
    from e order by e.n + (e.version - 1) * 200, e.version
    returning 1
  ), commands as (
    insert into es_commands (command_id, stream_type, stream_id, command_type, status, first_version,
      last_version, correlation_id, causation_id, issued_at, issued_by, fingerprint, recorded_at)
    select e.command_id::text, 'order', e.id,
      (array['PlaceOrder', 'InitiatePayment', 'ConfirmPayment', 'UpdateShippingStatus', 'UpdateShippingStatus'])[e.version],
      'accepted', e.version, e.version, e.correlation_id::text, null, e.at, 'user-' || (e.n % 1000),
      md5('fp-' || e.n || e.version), e.at
    from e
    returning 1
  ), heads as (
    insert into es_streams (stream_type, stream_id, version, updated_at)
    select 'order', o.id, 5, $3::timestamptz + (o.n * interval '20 ms') + interval '5 minutes' from o
    returning 1
  ), viewed as (
    insert into orders_view (order_id, customer_id, payment_status, shipping_status, total_price, currency,
      quantity, created_at, updated_at, version)
    select o.id, o.customer, 'PAID', 'DELIVERED', 10 + o.n % 490, case when o.n % 5 = 0 then 'EUR' else 'USD' end,
      1 + o.n % 5, $3::timestamptz + (o.n * interval '20 ms') + interval '1 minute',
      $3::timestamptz + (o.n * interval '20 ms') + interval '5 minutes', 5
    from o
    returning 1
  )
  select (select count(*) from inserted) as events`;

/** Events [from, to) of each long stream: created, then re-priced, one command each. */
const longSql = `
  with e as (
    select s, v, md5('long-' || s)::uuid::text as id, (lpad(to_hex(v * 8 + s), 16, '0') || 'f' || left(md5('lcmd-' || s || '-' || v), 15))::uuid as command_id,
      $4::timestamptz + (v * interval '100 ms') as at
    from generate_series(1, $1::int) s cross join generate_series($2::int, $3::int - 1) v
  ), inserted as (
    insert into es_events (stream_type, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at)
    select 'product', e.id, e.v, (lpad(to_hex(e.v * 8 + e.s), 16, '0') || 'f' || left(md5('levent-' || e.s || '-' || e.v), 15))::uuid,
      case when e.v = 1 then 'ProductCreated' else 'ProductPriceChanged' end, 1,
      case when e.v = 1 then jsonb_build_object('vendorId', md5('vendor-1')::uuid, 'name', 'product ' || e.s,
        'price', 100, 'createdAt', e.at)
      else jsonb_build_object('price', 100 + e.v % 50, 'previousPrice', 100 + (e.v - 1) % 50) end,
      jsonb_build_object('commandId', e.command_id, 'correlationId', e.command_id, 'causationId', e.command_id,
        'issuedAt', e.at, 'issuedBy', 'pricing',
        'traceparent', '00-' || md5('ltrace-' || e.s || e.v) || '-' || left(md5('lspan-' || e.s || e.v), 16) || '-01'),
      e.at
    from e order by e.v, e.s
    returning 1
  ), commands as (
    insert into es_commands (command_id, stream_type, stream_id, command_type, status, first_version,
      last_version, correlation_id, issued_at, issued_by, fingerprint, recorded_at)
    select e.command_id::text, 'product', e.id, case when e.v = 1 then 'CreateProduct' else 'ChangePrice' end,
      'accepted', e.v, e.v, e.command_id::text, e.at, 'pricing', md5('lfp-' || e.s || e.v), e.at
    from e
    returning 1
  ), heads as (
    insert into es_streams (stream_type, stream_id, version, updated_at)
    select 'product', md5('long-' || s)::uuid::text, $3::int - 1, $4::timestamptz + (($3::int - 1) * interval '100 ms')
    from generate_series(1, $1::int) s
    on conflict (stream_type, stream_id) do update set version = excluded.version, updated_at = excluded.updated_at
    returning 1
  )
  select (select count(*) from inserted) as events`;

const START = '2026-01-01T00:00:00Z';

/**
 * Fills a migrated, empty store with `shape`, set-based (INSERT … SELECT generate_series), one
 * transaction per chunk of orders with its share of the long streams' events. The read model
 * (orders_view, order_totals) is written as its projection would have left it, and every
 * projection's checkpoint put at the head, so reads see a store that is caught up. Then ANALYZE.
 * `onChunk` hears the events written so far.
 */
export const buildScaleStore = async (
  databaseUrl: string,
  shape: ScaleShape,
  onChunk: (written: number) => void = () => {},
): Promise<void> => {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'chronicle-bench-scale' });
  await client.connect();
  try {
    // secondary indexes are dropped for the load and built again after it (sorting once is many
    // times faster than millions of random insertions); constraints' indexes stay
    const secondary = (
      await client.query<{ name: string; definition: string }>(
        `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
         from pg_index i
         where i.indrelid in ('es_events'::regclass, 'es_commands'::regclass, 'es_streams'::regclass)
           and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
      )
    ).rows;
    for (const { name } of secondary) await client.query(`drop index ${name}`);
    // at least ten, so even a small store's long streams are spread through its history
    const chunks = Math.max(10, Math.ceil(shape.orders / CHUNK_ORDERS));
    const ordersPerChunk = Math.ceil(shape.orders / chunks);
    const longPerChunk = Math.ceil(shape.longLength / chunks);
    let written = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      await client.query('begin');
      const from = chunk * ordersPerChunk;
      const to = Math.min(shape.orders, from + ordersPerChunk);
      if (to > from) written += Number((await client.query(ordersSql, [from, to, START])).rows[0].events);
      const longFrom = 1 + chunk * longPerChunk;
      const longTo = Math.min(shape.longLength + 1, longFrom + longPerChunk);
      if (shape.longStreams > 0 && longTo > longFrom)
        written += Number(
          (await client.query(longSql, [shape.longStreams, longFrom, longTo, START])).rows[0].events,
        );
      await client.query('commit');
      onChunk(written);
    }
    await client.query("set maintenance_work_mem = '256MB'");
    for (const { definition } of secondary) await client.query(definition);
    await client.query(`
      insert into order_totals (shipping_status, currency, orders, amount)
      select shipping_status, currency, count(*), sum(total_price) from orders_view group by 1, 2`);
    await client.query(`
      insert into order_totals_orders (order_id, shipping_status, amount, currency)
      select order_id, shipping_status, total_price, currency from orders_view`);
    await client.query(`
      insert into orders_view_counts (slot, payment_status, shipping_status, orders)
      select abs(hashtextextended(order_id, 0) % 4), payment_status, shipping_status, count(*)
      from orders_view group by 1, 2, 3
      on conflict (slot, payment_status, shipping_status) do update set orders = excluded.orders`);
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
};

/** Every subscription's partitions, checkpointed at the newest event: caught up, nothing leased. */
export const checkpointAtHead = async (
  databaseUrl: string,
  subscriptions: readonly { readonly name: string; readonly partitions: number }[],
): Promise<void> => {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'chronicle-bench-scale' });
  await client.connect();
  try {
    for (const { name, partitions } of subscriptions)
      await client.query(
        `insert into es_checkpoints (subscription, partition, partitions, transaction_id, global_position)
         select $1, p, $2, h.transaction_id, h.global_position
         from generate_series(0, $2::int - 1) p,
           (select transaction_id, global_position from es_events order by transaction_id desc, global_position desc limit 1) h
         on conflict (subscription, partition) do update
           set transaction_id = excluded.transaction_id, global_position = excluded.global_position`,
        [name, partitions],
      );
  } finally {
    await client.end();
  }
};
