export * from './divergence.js';
export * from './replayStream.js';
export * from './runWhatIf.js';
