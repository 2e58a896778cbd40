// The PostgreSQL adapter: every statement on the runtime's es_* tables, one operation per file.
// Callers call these by name; a change to a runtime table touches this folder and its migration.

export * from './activePartitionCount.js';
export * from './appendToStream.js';
export * from './beginBatch.js';
// subscriptions: checkpoints, leases, failures
export * from './checkpointRow.js';
export * from './claimPartitions.js';
// the event store port
export * from './createPostgresEventStore.js';
export * from './deleteCheckpoints.js';
export * from './ensurePartitions.js';
export * from './findCommand.js';
export * from './findEventCheckpoint.js';
export * from './findLeaseHolder.js';
export * from './foldRows.js';
export * from './forgetSubscriptionWorkers.js';
export * from './heartbeat.js';
export * from './leaseAllPartitions.js';
export * from './leaveSubscription.js';
export * from './lockCheckpoint.js';
export * from './lockSubscriptionPartitions.js';
export * from './markReaderTransaction.js';
export * from './notifyAppended.js';
export * from './readCheckpoint.js';
export * from './readCorrelation.js';
// reading the whole stream in commit-safe order
export * from './readEventBatch.js';
export * from './readHeadPosition.js';
export * from './readHorizon.js';
export * from './readLag.js';
export * from './readSnapshot.js';
// snapshots
export * from './readSnapshotVersions.js';
export * from './readStream.js';
export * from './readStreamCounts.js';
export * from './readStreamToFold.js';
export * from './readSubscriptionPartitions.js';
export * from './readToFold.js';
export * from './recordFailure.js';
export * from './recordRejection.js';
export * from './releasePartitions.js';
export * from './renameSubscription.js';
export * from './renewLeases.js';
export * from './resumeFailedPartitions.js';
export * from './rowToEvent.js';
export * from './setCheckpoint.js';
export * from './sql.js';
export * from './streamsDueForSnapshot.js';
export * from './streamVersion.js';
export * from './streamVersionAt.js';
export * from './subscriptionDeadLetters.js';
export * from './writeSnapshot.js';
