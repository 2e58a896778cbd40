/** Span and metric attribute names, in one place. Messaging names follow the OTel semantic conventions. */
export const attr = {
  aggregateType: 'chronicle.aggregate.type',
  aggregateId: 'chronicle.aggregate.id',
  aggregateVersion: 'chronicle.aggregate.version',
  commandId: 'chronicle.command.id',
  commandType: 'chronicle.command.type',
  correlationId: 'chronicle.correlation_id',
  causationId: 'chronicle.causation_id',
  eventId: 'chronicle.event.id',
  eventType: 'chronicle.event.type',
  eventCount: 'chronicle.event.count',
  outcome: 'chronicle.outcome',
  rejectionCode: 'chronicle.rejection.code',
  projection: 'chronicle.projection.name',
  partition: 'chronicle.projection.partition',
  messagingSystem: 'messaging.system',
  messagingDestination: 'messaging.destination.name',
  messagingPartition: 'messaging.destination.partition.id',
  messagingOperationType: 'messaging.operation.type',
  messagingOperationName: 'messaging.operation.name',
  messagingMessageId: 'messaging.message.id',
  messagingConversationId: 'messaging.message.conversation_id',
  messagingBatchCount: 'messaging.batch.message_count',
} as const;

export const TRACER_NAME = 'chronicle';
