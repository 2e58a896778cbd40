export * from './actorCache.js';
export * from './actorHost.js';
export { envelopeMetadata } from './eventMetadata.js';
export * from './hydrateActor.js';
