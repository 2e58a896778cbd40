import type { Attributes } from '@opentelemetry/api';
import { type CommandEnvelope, envelopeAttributes } from '../messages/index.js';
import { attr } from '../tracing/index.js';
import { shardQueueName } from './shardFor.js';

/** The producer and consumer spans add where the message went and what was done with it. */
export const commandAttributes = (
  envelope: CommandEnvelope,
  /** undefined: refused before routing, it went to no queue */
  shard: number | undefined,
  operation: 'send' | 'process',
): Attributes => ({
  ...envelopeAttributes(envelope),
  ...(shard === undefined ? {} : { [attr.messagingDestination]: shardQueueName(shard) }),
  [attr.messagingOperationType]: operation,
  [attr.messagingOperationName]: operation,
});
