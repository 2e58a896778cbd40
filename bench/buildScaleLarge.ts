import { projections } from '../actors/projections/index.js';
import { domainMigrations } from '../migrations/domain/index.js';
import { migrate } from '../src/db/index.js';
import { largeShape } from './scale.js';
import { buildScaleStore, checkpointAtHead } from './scaleStore.js';

/**
 * `node --import tsx bench/buildScaleLarge.ts <url>`: builds the scale bench's large store once into
 * a database of your own (created and migrated if new), to measure it again and again with
 * `BENCH_SCALE_LARGE_URL=<url> npm run bench -- scale` while changing the reads. BENCH_SCALE_ORDERS
 * sets its orders (default a million: 5.2 million events).
 */
const url = process.argv[2];
if (!url) {
  console.error('usage: buildScaleLarge.ts <database url>');
  process.exit(2);
}
const started = performance.now();
await migrate(url, domainMigrations);
await buildScaleStore(url, largeShape(Number(process.env.BENCH_SCALE_ORDERS ?? 1_000_000)));
await checkpointAtHead(
  url,
  projections.map((p) => ({ name: p.name, partitions: p.partitions })),
);
console.log(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
