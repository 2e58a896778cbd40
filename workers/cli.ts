import { type LoadedDeployment, loadDeployment, natsOutbox } from 'chronicle-runtime';
import {
  clusterVerbs,
  deadLetterVerbs,
  EXIT,
  errorLine,
  migrationVerbs,
  personalDataVerbs,
  printError,
  projectionVerbs,
  runCli,
  vizCommand,
} from '../src/cli/index.js';
import { takeConfigOption } from './cliArguments.js';
import { parseDevArgs, runDev } from './dev/runDev.js';
import { runInit } from './init/runInit.js';
import { podKinds } from './pods/podKinds.js';
import { runPodDefinition } from './pods/runPod.js';

/** The verbs a deployment's config plugs into: every pod kind, the projections', viz, dev. */
const cliFor = (deployment: LoadedDeployment) => {
  const { aggregates, processManagers, projections } = deployment.chronicle;
  return {
    aggregates,
    migrations: deployment.migrations,
    pods: Object.fromEntries(podKinds.map((pod) => [pod.kind, () => runPodDefinition(pod, deployment)])),
    verbs: {
      ...projectionVerbs({ projections, aggregates, processManagers, subscriptions: [natsOutbox()] }),
      ...deadLetterVerbs(),
      ...clusterVerbs({ aggregates, projections, processManagers, subscriptions: [natsOutbox()] }),
      ...personalDataVerbs(projections),
      ...migrationVerbs(deployment),
      viz: vizCommand(aggregates, processManagers),
      dev: async (args: string[]) => {
        await runDev(podKinds, deployment, parseDevArgs(args));
        return 0;
      },
    },
  };
};

/** Verbs that need no deployment config. */
const standalone: Readonly<Record<string, (args: string[]) => Promise<number>>> = {
  init: (args) => runInit(args),
};

/** Prints `error` as the CLI's one stderr line, and gives the exit code for it. */
const failed = (error: unknown): number => {
  printError(errorLine(error));
  return EXIT.error;
};

/** `chronicle`: the runtime's CLI, running the deployment its config file defines. */
const main = async (argv: readonly string[]): Promise<number> => {
  let parsed: ReturnType<typeof takeConfigOption>;
  try {
    parsed = takeConfigOption(argv);
  } catch (error) {
    return failed(error);
  }
  const [verb, ...args] = parsed.rest;
  const own = verb === undefined ? undefined : standalone[verb];
  if (own) return own(args).catch(failed);
  if (verb === undefined || verb === 'help' || verb === '--help')
    return runCli(parsed.rest, { aggregates: [], pods: {} });
  let deployment: LoadedDeployment;
  try {
    deployment = await loadDeployment({ explicit: parsed.config });
  } catch (error) {
    return failed(error);
  }
  return runCli(parsed.rest, cliFor(deployment));
};

process.exitCode = await main(process.argv.slice(2));
