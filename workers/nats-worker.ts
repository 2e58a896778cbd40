import { runNatsWorkerPod } from './pods/natsWorkerPod.js';

/** `chronicle worker nats`, or this file directly. */
await runNatsWorkerPod();
