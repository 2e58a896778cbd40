import { createLogger, type Logger, type ReadinessCheck, runUntilSignal, startPodServer } from 'chronicle';
import { type ChronicleServiceName, startTelemetry } from '../../otel/index.js';

/** What a pod kind provides: its engine, started, with readiness checks and a graceful stop. */
export type PodEngine = {
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  stop(): Promise<void>;
};

/**
 * The life of every pod: telemetry first (so every span and metric is captured), then the engine,
 * then /healthz, /readyz and /metrics; on SIGTERM/SIGINT: not ready, finish the work in hand and
 * stop, flush telemetry, exit 0.
 */
export const runPod = async (
  serviceName: ChronicleServiceName,
  start: (logger: Logger) => Promise<PodEngine>,
): Promise<void> => {
  const telemetry = startTelemetry({ serviceName });
  const logger = createLogger(serviceName);
  try {
    const engine = await start(logger);
    const server = await startPodServer({ checks: engine.checks, metricsHandler: telemetry.metricsHandler });
    logger.info({ metricsPort: server.port }, `${serviceName} ready`);
    await runUntilSignal(
      {
        stop: async () => {
          server.setDraining();
          await engine.stop();
          await server.close();
          await telemetry.shutdown();
        },
      },
      logger,
    );
  } catch (error) {
    logger.fatal({ err: error }, `${serviceName} failed to start`);
    await telemetry.shutdown();
    process.exitCode = 1;
  }
};
