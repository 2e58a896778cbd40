export * from './aggregate/index.js';
export * from './errors/index.js';
export type * from './messages/index.js';
export * from './tracing/index.js';
