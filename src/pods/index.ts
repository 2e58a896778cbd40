export * from './runUntilSignal.js';
