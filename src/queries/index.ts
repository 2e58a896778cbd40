export * from './aggregateStateAt.js';
export * from './correlationStory.js';
export * from './eventFeed.js';
export * from './processStateAt.js';
export * from './queryParameters.js';
export * from './queryResult.js';
export * from './storeCounts.js';
