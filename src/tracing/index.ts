export * from './attributes.js';
export * from './traceContext.js';
export * from './withSpan.js';
