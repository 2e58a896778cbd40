export * from './connectNats.js';
export * from './natsCommandServer.js';
export * from './natsConnectOptions.js';
export * from './natsEventBroker.js';
export * from './natsSubjects.js';
export * from './runNatsWorker.js';
