import { natsOutbox, projectionVerbs, runCli, vizCommand } from 'chronicle';
import { aggregates } from '../actors/index.js';
import { projections } from '../actors/projections/index.js';
import { domainMigrations } from '../migrations/domain/index.js';
import { runApiPod } from './pods/apiPod.js';
import { runCommandWorkerPod } from './pods/commandWorkerPod.js';
import { runNatsWorkerPod } from './pods/natsWorkerPod.js';
import { runProjectionWorkerPod } from './pods/projectionWorkerPod.js';
import { runSnapshotWorkerPod } from './pods/snapshotWorkerPod.js';

/** The `chronicle` command of this deployment: the runtime's CLI with the sample domain plugged in. */
process.exitCode = await runCli(process.argv.slice(2), {
  aggregates,
  migrations: domainMigrations,
  pods: {
    command: runCommandWorkerPod,
    projection: runProjectionWorkerPod,
    snapshot: runSnapshotWorkerPod,
    api: runApiPod,
    nats: runNatsWorkerPod,
  },
  verbs: {
    ...projectionVerbs({ projections, aggregates, subscriptions: [natsOutbox()] }),
    viz: vizCommand(aggregates),
  },
});
