export * from './activeStatePaths.js';
export * from './describeMachine.js';
export type * from './machineDescription.js';
export * from './toMermaid.js';
