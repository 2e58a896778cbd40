import { runCommandWorkerPod } from './pods/commandWorkerPod.js';

/** `chronicle worker command`, or this file directly. */
await runCommandWorkerPod();
