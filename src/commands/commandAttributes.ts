import type { Attributes } from '@opentelemetry/api';
import type { CommandEnvelope } from '../messages/index.js';
import { attr } from '../tracing/index.js';
import { shardQueueName } from './shardFor.js';

/** The attributes every span about a command carries. Never the payload. */
export const commandAttributes = (
  envelope: CommandEnvelope,
  shard: number,
  operation: 'send' | 'process',
): Attributes => ({
  [attr.aggregateType]: envelope.aggregateType,
  [attr.aggregateId]: envelope.aggregateId,
  [attr.commandId]: envelope.commandId,
  [attr.commandType]: envelope.type,
  [attr.correlationId]: envelope.correlationId,
  [attr.causationId]: envelope.causationId,
  [attr.messagingSystem]: 'bullmq',
  [attr.messagingDestination]: shardQueueName(shard),
  [attr.messagingOperationType]: operation,
  [attr.messagingOperationName]: operation,
  [attr.messagingMessageId]: envelope.commandId,
  [attr.messagingConversationId]: envelope.correlationId,
});
