export * from './dependencyChecks.js';
export * from './podServer.js';
export * from './redisDurability.js';
