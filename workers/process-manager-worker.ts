import { runProcessManagerWorkerPod } from './pods/processManagerWorkerPod.js';

/** `chronicle worker process-manager`, or this file directly. */
await runProcessManagerWorkerPod();
