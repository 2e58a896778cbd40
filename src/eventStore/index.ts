export * from './checkpoint.js';
export * from './commandFingerprint.js';
export * from './commandRecord.js';
export type * from './eventFilter.js';
export type * from './eventStore.js';
export * from './partition.js';
export type * from './partitionFailure.js';
export * from './postgres/index.js';
