export * from './runSnapshotWorker.js';
export * from './snapshotAggregate.js';
export * from './snapshotProcess.js';
export * from './snapshotSubscription.js';
export * from './snapshotSweepScheduler.js';
export * from './snapshotsDue.js';
export * from './snapshotTargets.js';
export * from './sweepSnapshots.js';
