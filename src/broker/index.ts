export * from './commandGateway.js';
export * from './eventBroker.js';
export * from './eventMessage.js';
export * from './idempotentConsumer.js';
export * from './outboxSubscription.js';
export * from './publishInStreamOrder.js';
