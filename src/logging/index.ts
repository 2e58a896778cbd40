export * from './createLogger.js';
export * from './withCorrelationBaggage.js';
