import { runCommandWorkerPod } from './pods/commandWorkerPod.js';

await runCommandWorkerPod();
