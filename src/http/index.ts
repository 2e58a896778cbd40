export * from './auth/index.js';
export * from './createApiServer.js';
export * from './deadLetters.js';
export * from './httpError.js';
export type * from './readModelRoute.js';
export * from './rejectionStatus.js';
export * from './stats.js';
export * from './stream/positionToken.js';
