export * from './buildEnvelope.js';
export * from './checkEnvelope.js';
export * from './commandClient.js';
export * from './commandStatus.js';
export * from './commandWorker.js';
export * from './limits.js';
export * from './retryInPlace.js';
export * from './shardFor.js';
