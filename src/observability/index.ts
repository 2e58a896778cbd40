export * from './dependencyChecks.js';
export * from './podServer.js';
