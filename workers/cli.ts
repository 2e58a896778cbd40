import { runCli } from 'chronicle';
import { aggregates } from '../actors/index.js';
import { runCommandWorkerPod } from './pods/commandWorkerPod.js';

/** The `chronicle` command of this deployment: the runtime's CLI with the sample domain plugged in. */
const exitCode = await runCli(process.argv.slice(2), {
  aggregates,
  pods: { command: runCommandWorkerPod },
});
process.exitCode = exitCode;
