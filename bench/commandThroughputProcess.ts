/**
 * One variant of the tracing benchmark, in a process of its own (the SDK starts once per process):
 * BENCH_TRACING `off` (no SDK: the API's no-ops), `context` (no SDK, only the context manager the
 * SDK registers: AsyncLocalStorage, which on Node 20 runs a hook on every promise), `spans` (SDK,
 * spans made and dropped) or `otlp` (SDK exporting OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT). Runs the command benchmark at each of
 * BENCH_CONCURRENCY (comma-separated) with BENCH_OPS commands and prints `{"figures": {...}}`.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { startTelemetry, type Telemetry } from '../otel/index.js';
import { commandThroughput } from './commandThroughput.js';
import type { LoadFigures } from './stats.js';

const variant = process.env.BENCH_TRACING ?? 'off';
if (!['off', 'context', 'spans', 'otlp'].includes(variant))
  throw new Error(`BENCH_TRACING: unknown "${variant}"`);
if (variant === 'otlp' && !process.env.OTEL_EXPORTER_OTLP_ENDPOINT)
  throw new Error('BENCH_TRACING=otlp needs OTEL_EXPORTER_OTLP_ENDPOINT');
if (variant === 'context') context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const telemetry: Telemetry | undefined =
  variant === 'off' || variant === 'context'
    ? undefined
    : startTelemetry({ serviceName: 'chronicle-command-worker' });

const operations = Number(process.env.BENCH_OPS ?? 2000);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,16').split(',').map(Number);
const figures: Record<string, LoadFigures> = {};
for (const concurrency of concurrencies) {
  const { seconds, perSecond, p50Ms, p99Ms } = await commandThroughput(operations, concurrency);
  figures[`concurrency${concurrency}`] = { operations, concurrency, seconds, perSecond, p50Ms, p99Ms };
}
// flushes what is still buffered: after the measurement, as a pod would on SIGTERM
await telemetry?.shutdown();
process.stdout.write(`${JSON.stringify({ figures })}\n`);
process.exit(0);
