// Telemetry starts here, first, before anything makes spans or metrics (the otel helper adds):
//   const telemetry = startTelemetry({ serviceName: 'chronicle-projection-worker' });
//   ...and `await telemetry.shutdown()` after the worker has stopped.
import { projections } from '../actors/projections/index.js';
import { loadConfig } from '../src/config/index.js';
import { createLogger } from '../src/logging/index.js';
import { runUntilSignal } from '../src/pods/index.js';
import { runProjectionWorker } from '../src/projections/index.js';

/** The projection pod: its share of every projection's partitions, until SIGTERM/SIGINT. */
const logger = createLogger('projection-worker');
const worker = await runProjectionWorker({ config: loadConfig(), projections, logger });
await runUntilSignal(worker, logger);
