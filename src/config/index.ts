export * from './chronicleConfig.js';
export * from './completedRetention.js';
export * from './httpTimeouts.js';
export * from './natsConfig.js';
