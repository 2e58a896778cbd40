export * from './createLogger.js';
export * from './loggerPort.js';
export * from './prettyLogStream.js';
export * from './refusalLog.js';
export * from './withCorrelationBaggage.js';
