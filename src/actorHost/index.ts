export * from './actorCache.js';
export * from './actorHost.js';
export * from './hydrateActor.js';
