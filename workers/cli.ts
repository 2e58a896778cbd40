import { deadLetterVerbs, natsOutbox, projectionVerbs, runCli, vizCommand } from 'chronicle-runtime';
import { aggregates, processManagers } from '../actors/index.js';
import { projections } from '../actors/projections/index.js';
import { domainMigrations } from '../migrations/domain/index.js';
import { parseDevArgs, runDev } from './dev/runDev.js';
import { podKinds } from './pods/podKinds.js';
import { runPodDefinition } from './pods/runPod.js';

/** The `chronicle` command of this deployment: the runtime's CLI with the sample domain plugged in. */
process.exitCode = await runCli(process.argv.slice(2), {
  aggregates,
  migrations: domainMigrations,
  pods: Object.fromEntries(podKinds.map((pod) => [pod.kind, () => runPodDefinition(pod)])),
  verbs: {
    ...projectionVerbs({ projections, aggregates, processManagers, subscriptions: [natsOutbox()] }),
    ...deadLetterVerbs(),
    viz: vizCommand(aggregates, processManagers),
    dev: async (args) => {
      await runDev(podKinds, parseDevArgs(args));
      return 0;
    },
  },
});
