export * from './cliOutput.js';
export * from './runCli.js';
