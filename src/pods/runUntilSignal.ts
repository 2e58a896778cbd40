import type { LoggerPort } from '../logging/index.js';
export type Stoppable = { stop(): Promise<void> };

/**
 * How long a pod's graceful stop may take before it exits 1: the bound on its drain. A deployment
 * gives a pod longer than this (plus any preStop) before it kills it (Kubernetes'
 * terminationGracePeriodSeconds, checked by test/deploy/kubernetes.int.spec.ts).
 */
export const POD_STOP_GRACE_MS = 30_000;

/**
 * Keeps a pod running until SIGTERM or SIGINT, then stops it gracefully (finish the work in hand,
 * release leases, close connections) and exits 0. A second signal, or a stop that takes longer
 * than `graceMs`, exits 1 at once.
 */
export const runUntilSignal = (
  pod: Stoppable,
  logger: LoggerPort,
  graceMs = POD_STOP_GRACE_MS,
): Promise<void> =>
  new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.error({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'stopping');
      const timer = setTimeout(() => {
        logger.error({ graceMs }, 'graceful stop took too long: exiting');
        process.exit(1);
      }, graceMs);
      timer.unref();
      try {
        await pod.stop();
        clearTimeout(timer);
        logger.info({}, 'stopped');
        resolve();
      } catch (error) {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      }
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
