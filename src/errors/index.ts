export * from './chronicleError.js';
export * from './classifyFailure.js';
export * from './commandRejection.js';
export * from './concurrencyError.js';
export * from './failureReason.js';
export * from './retryOnConflict.js';
export * from './transientError.js';
