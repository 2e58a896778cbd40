import { runSnapshotWorkerPod } from './pods/snapshotWorkerPod.js';

/** `chronicle worker snapshot`, or this file directly. */
await runSnapshotWorkerPod();
