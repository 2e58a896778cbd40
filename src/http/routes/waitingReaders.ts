import type { PartitionStatus } from '../../projections/index.js';
import { type ReleaseManifest, releasesReading } from '../../releases/index.js';

/** Each partition waiting at an event, with the running releases (`live`) that read the event named. */
export const nameWaitingReaders = (
  statuses: readonly PartitionStatus[],
  live: readonly ReleaseManifest[],
): PartitionStatus[] =>
  statuses.map((status) =>
    status.state === 'waiting'
      ? { ...status, waiting: { ...status.waiting, readableBy: releasesReading(live, status.waiting) } }
      : status,
  );
