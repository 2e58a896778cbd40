export * from './chronicleError.js';
export * from './commandRejection.js';
export * from './concurrencyError.js';
export * from './transientError.js';
