export * from './requirePersonalData.js';
export * from './runUntilSignal.js';
