export * from './buildEnvelope.js';
export * from './commandClient.js';
export * from './commandJobProcessor.js';
export * from './commandStatus.js';
export * from './commandWorker.js';
export * from './connectionErrorReporter.js';
export * from './retryInPlace.js';
export * from './shardFor.js';
