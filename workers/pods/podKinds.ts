import { apiPod } from './apiPod.js';
import { commandWorkerPod } from './commandWorkerPod.js';
import { natsWorkerPod } from './natsWorkerPod.js';
import { processManagerWorkerPod } from './processManagerWorkerPod.js';
import { projectionWorkerPod } from './projectionWorkerPod.js';
import type { PodDefinition } from './runPod.js';
import { snapshotWorkerPod } from './snapshotWorkerPod.js';

/**
 * Every pod kind of this deployment, in start order (the api last, so it answers once the workers
 * run; `chronicle dev` stops them in reverse). A new pod kind is one entry here: `chronicle worker
 * <kind>` and `chronicle dev` both read this list.
 */
export const podKinds: readonly PodDefinition[] = [
  commandWorkerPod,
  projectionWorkerPod,
  snapshotWorkerPod,
  processManagerWorkerPod,
  natsWorkerPod,
  apiPod,
];
