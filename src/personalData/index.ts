export * from './keyring.js';
export * from './openEventData.js';
export * from './sealEventData.js';
export * from './sealedState.js';
export * from './sealedValue.js';
export * from './storedDataKeys.js';
export * from './withoutPersonalData.js';
