export * from './checkEnvelope.js';
export type * from './command.js';
export * from './commandResult.js';
export * from './envelopeAttributes.js';
export * from './envelopeLimits.js';
export type * from './event.js';
export * from './findUnstorableJson.js';
export * from './timeOrderedId.js';
