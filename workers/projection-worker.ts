import { runProjectionWorkerPod } from './pods/projectionWorkerPod.js';

/** `chronicle worker projection`, or this file directly. */
await runProjectionWorkerPod();
