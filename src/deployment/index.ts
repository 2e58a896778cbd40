export * from './defineChronicle.js';
export * from './domainMigrations.js';
export * from './findConfigFile.js';
export * from './loadDeployment.js';
