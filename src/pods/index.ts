export * from './requireMigratedDatabase.js';
export * from './runUntilSignal.js';
