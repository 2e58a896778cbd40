export * from './chronicleMetrics.js';
