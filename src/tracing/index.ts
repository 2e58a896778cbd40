export * from './attributes.js';
export * from './withSpan.js';
