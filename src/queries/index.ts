export * from './aggregateStateAt.js';
export * from './eventFeed.js';
export * from './queryResult.js';
