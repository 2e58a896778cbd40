export * from './cliOutput.js';
export * from './deadLetterVerbs.js';
export * from './migrationVerbs.js';
export * from './projectionCommands.js';
export * from './projectionVerbs.js';
export * from './runCli.js';
export * from './vizCommand.js';
export * from './whatIfCommand.js';
