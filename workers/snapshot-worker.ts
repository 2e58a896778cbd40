// Telemetry starts here, first, before anything makes spans or metrics (the otel helper adds):
//   const telemetry = startTelemetry({ serviceName: 'chronicle-snapshot-worker' });
//   ...and `await telemetry.shutdown()` after the worker has stopped.
import { aggregates } from '../actors/index.js';
import { loadConfig } from '../src/config/index.js';
import { createLogger } from '../src/logging/index.js';
import { runUntilSignal } from '../src/pods/index.js';
import { runSnapshotWorker } from '../src/snapshots/index.js';

/** The snapshot pod: snapshots streams past their policy, and sweeps for missed ones, until SIGTERM/SIGINT. */
const logger = createLogger('snapshot-worker');
const worker = await runSnapshotWorker({ config: loadConfig(), aggregates, logger });
await runUntilSignal(worker, logger);
