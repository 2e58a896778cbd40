export * from './chronicleConfig.js';
export * from './httpTimeouts.js';
