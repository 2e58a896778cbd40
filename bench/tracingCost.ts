import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startOtlpSink } from './otlpSink.js';
import { type LoadFigures, ratio } from './stats.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const variants = ['off', 'context', 'otlp', 'spans'] as const;
type Variant = (typeof variants)[number];
type Figures = Record<string, LoadFigures>;

/** Runs bench/commandThroughputProcess.ts in a child process with `env`; resolves with its figures. */
const runVariant = (env: Record<string, string>): Promise<Figures> =>
  new Promise((resolve, reject) => {
    // only the variant's own OTEL_* settings count
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/commandThroughputProcess.ts'], {
      cwd: root,
      env: { ...inherited, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('{"figures"'));
      if (code !== 0 || !line)
        return reject(new Error(`bench child (${env.BENCH_TRACING}) exited ${code}: ${output}`));
      resolve((JSON.parse(line) as { figures: Figures }).figures);
    });
  });

/**
 * The command benchmark with tracing off, with only the SDK's context manager (what propagating the
 * active context costs by itself), with spans made but not exported, and with spans
 * exported over OTLP/HTTP (protobuf, default batch processor) to a local sink, each variant in a
 * child process of its own, interleaved over `rounds`; each variant keeps its best round (the
 * machine is shared and noisy). Client and worker run in the same process, so both sides' spans
 * are paid for there.
 */
export const tracingCost = async (operations: number, rounds = 2) => {
  const sink = await startOtlpSink();
  const best: Partial<Record<Variant, Figures>> = {};
  try {
    for (let round = 0; round < rounds; round++) {
      for (const variant of variants) {
        const figures = await runVariant({
          BENCH_TRACING: variant,
          BENCH_OPS: String(operations),
          ...(variant === 'otlp' ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint } : {}),
        });
        const kept = best[variant];
        best[variant] = Object.fromEntries(
          Object.entries(figures).map(([key, value]) => {
            const previous = kept?.[key];
            return [key, previous && previous.perSecond >= value.perSecond ? previous : value];
          }),
        );
      }
    }
    const { off = {}, context = {}, otlp = {}, spans = {} } = best;
    const figures: Record<string, unknown> = {};
    for (const [key, untraced] of Object.entries(off)) {
      const exported = otlp[key];
      const made = spans[key];
      const propagated = context[key];
      if (!exported || !made || !propagated) continue;
      figures[key] = {
        tracingOff: untraced,
        contextManagerOnly: propagated,
        spansNotExported: made,
        otlpExport: exported,
        throughputContextOnlyVsOff: ratio(propagated.perSecond, untraced.perSecond),
        throughputOtlpVsOff: ratio(exported.perSecond, untraced.perSecond),
        throughputSpansVsOff: ratio(made.perSecond, untraced.perSecond),
        p50OtlpVsOff: ratio(exported.p50Ms, untraced.p50Ms),
        p99OtlpVsOff: ratio(exported.p99Ms, untraced.p99Ms),
      };
    }
    return { rounds, otlpReceived: sink.received(), ...figures };
  } finally {
    await sink.close();
  }
};
