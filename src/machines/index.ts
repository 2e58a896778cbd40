export * from './activeStatePaths.js';
export * from './describeMachine.js';
export type * from './machineDescription.js';
export * from './renderSvg.js';
export * from './toMermaid.js';
