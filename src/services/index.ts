export * from './probeService.js';
export * from './redisConnection.js';
export * from './requireServices.js';
export * from './serviceUnreachable.js';
