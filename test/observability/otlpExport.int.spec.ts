import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlpReceiver.js';
import { runToEnd } from '../support/processes.js';

const fixture = fileURLToPath(new URL('./fixtures/tracedProcess.ts', import.meta.url));

type Summary = {
  traceId: string;
  outerSpanId: string;
  innerSpanId: string;
  serviceName: string;
  exporting: boolean;
};

type Run = { code: number | null; summary: Summary; logs: Record<string, unknown>[]; stderr: string };

/** Runs the fixture in a fresh Node process (through tsx), with only the given OTEL_* variables. */
const runTracedProcess = async (otelEnv: Record<string, string>): Promise<Run> => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
  const { code, stdout, stderr } = await runToEnd(fixture, {
    env: { ...env, ...otelEnv, LOG_LEVEL: 'info' },
    inheritEnv: false,
  });
  const lines = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const summary = lines.find((line) => 'summary' in line)?.summary as Summary | undefined;
  if (!summary) throw new Error(`no summary from the child (exit ${code}): ${stdout}\n${stderr}`);
  return { code, summary, logs: lines.filter((line) => !('summary' in line)), stderr };
};

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

describe('a worker process started with startTelemetry', () => {
  // Each test looks for its own trace id, so spans from earlier tests do not get in the way.
  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`exports its spans over OTLP ${protocol} to OTEL_EXPORTER_OTLP_ENDPOINT`, async () => {
      const requestsBefore = receiver.requests.length;
      const run = await runTracedProcess({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.summary.exporting).toBe(true);

      const spans = await receiver.waitForSpans(
        (all) => all.filter((span) => span.traceId === run.summary.traceId).length >= 2,
      );
      const trace = spans.filter((span) => span.traceId === run.summary.traceId);
      const outer = trace.find((span) => span.name === 'command process');
      const inner = trace.find((span) => span.name === 'aggregate append');
      expect(outer).toMatchObject({
        spanId: run.summary.outerSpanId,
        kind: 5, // consumer
        serviceName: 'chronicle-command-worker',
        scope: 'chronicle',
        attributes: { 'chronicle.command.id': 'cmd-child' },
      });
      expect(outer?.parentSpanId).toBeUndefined();
      expect(inner).toMatchObject({
        spanId: run.summary.innerSpanId,
        parentSpanId: run.summary.outerSpanId,
        kind: 1,
      });
      const encodings = receiver.requests.slice(requestsBefore).map((request) => request.contentType);
      expect(encodings).toEqual([protocol === 'http/json' ? 'json' : 'protobuf']);

      // The log line written inside the inner span carries its ids and the correlation id.
      expect(run.logs).toContainEqual(
        expect.objectContaining({
          name: 'traced-process',
          msg: 'appending',
          trace_id: run.summary.traceId,
          span_id: run.summary.innerSpanId,
          correlation_id: 'corr-child',
        }),
      );
    });
  }

  it('honours OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is) and OTEL_SERVICE_NAME', async () => {
    const run = await runTracedProcess({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`,
      OTEL_SERVICE_NAME: 'orders-command-worker',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary.serviceName).toBe('orders-command-worker');
    const spans = await receiver.waitForSpans((all) =>
      all.some((span) => span.traceId === run.summary.traceId),
    );
    const mine = spans.filter((span) => span.traceId === run.summary.traceId);
    expect(mine.map((span) => span.serviceName)).toEqual(['orders-command-worker', 'orders-command-worker']);
  });

  it('honours OTEL_TRACES_SAMPLER: always_off exports nothing', async () => {
    const run = await runTracedProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(receiver.spans.filter((span) => span.traceId === run.summary.traceId)).toEqual([]);
  });

  it('without an endpoint exports nothing, yet has real trace ids for its logs and exits cleanly', async () => {
    const requestsBefore = receiver.requests.length;
    const run = await runTracedProcess({});
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary.exporting).toBe(false);
    expect(run.summary.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.summary.traceId).not.toBe('0'.repeat(32));
    expect(run.logs).toContainEqual(expect.objectContaining({ trace_id: run.summary.traceId }));
    expect(run.stderr).toBe('');
    expect(receiver.requests.length).toBe(requestsBefore);
  });

  it('with OTEL_SDK_DISABLED=true registers nothing, exports nothing and still runs', async () => {
    const requestsBefore = receiver.requests.length;
    const run = await runTracedProcess({
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary.exporting).toBe(false);
    expect(run.summary.traceId).toBe('0'.repeat(32));
    expect(receiver.requests.length).toBe(requestsBefore);
  });

  it('refuses an unsupported protocol at start-up', async () => {
    await expect(
      runTracedProcess({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      }),
    ).rejects.toThrow(/Unsupported OTLP traces protocol "grpc"/);
  });
});
