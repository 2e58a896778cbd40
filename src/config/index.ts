export * from './chronicleConfig.js';
