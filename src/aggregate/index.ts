export * from './aggregateActor.js';
export * from './aggregateRegistry.js';
export * from './assertPureMachine.js';
export * from './decideCommand.js';
export * from './defineAggregate.js';
export * from './formatStateValue.js';
export * from './machineHash.js';
export * from './validatePayload.js';
