export type * from './eventStore.js';
export * from './postgres/index.js';
