import type { Attributes } from '@opentelemetry/api';
import type { CommandEnvelope } from '../messages/index.js';
import { attr } from '../tracing/index.js';
import { shardQueueName } from './shardFor.js';

/** What every span about a command carries, wherever it runs. Never the payload. */
export const envelopeAttributes = (envelope: CommandEnvelope): Attributes => ({
  [attr.aggregateType]: envelope.aggregateType,
  [attr.aggregateId]: envelope.aggregateId,
  [attr.commandId]: envelope.commandId,
  [attr.commandType]: envelope.type,
  [attr.correlationId]: envelope.correlationId,
  [attr.causationId]: envelope.causationId,
  [attr.messagingSystem]: 'bullmq',
  [attr.messagingMessageId]: envelope.commandId,
  [attr.messagingConversationId]: envelope.correlationId,
});

/** The producer and consumer spans add where the message went and what was done with it. */
export const commandAttributes = (
  envelope: CommandEnvelope,
  shard: number,
  operation: 'send' | 'process',
): Attributes => ({
  ...envelopeAttributes(envelope),
  [attr.messagingDestination]: shardQueueName(shard),
  [attr.messagingOperationType]: operation,
  [attr.messagingOperationName]: operation,
});
