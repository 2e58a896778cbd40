import type { Attributes } from '@opentelemetry/api';
import { attr } from '../tracing/index.js';
import type { CommandEnvelope } from './command.js';

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
