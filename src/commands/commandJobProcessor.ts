import { type Job, UnrecoverableError } from 'bullmq';
import type { ActorHost } from '../actorHost/index.js';
import { type LoggerPort, withCorrelationBaggage } from '../logging/index.js';
import type { CommandEnvelope, CommandResult } from '../messages/index.js';
import { recordCommandProcessed, recordQueueWait } from '../metrics/index.js';
import { attr, contextFrom, withSpan } from '../tracing/index.js';
import { commandAttributes } from './commandAttributes.js';
import { type RetryPolicy, retryInPlace } from './retryInPlace.js';

export type CommandJobProcessorOptions = {
  readonly host: ActorHost;
  readonly shard: number;
  readonly retry?: RetryPolicy | undefined;
  readonly logger: LoggerPort;
};

/**
 * What a shard worker does with one job, the worker edge where errors become queue behaviour: the
 * consumer span continues the sender's trace; infrastructure trouble is retried in place (order
 * is kept); a rejection completes the job with its answer; retries exhausted = a dead letter.
 */
export const commandJobProcessor =
  ({ host, shard, retry, logger }: CommandJobProcessorOptions) =>
  async (job: Job<CommandEnvelope>): Promise<CommandResult> => {
    const envelope = job.data;
    return withSpan(
      'consumer',
      `process ${envelope.type}`,
      { parent: contextFrom(envelope), attributes: commandAttributes(envelope, shard, 'process') },
      (span) =>
        withCorrelationBaggage(envelope.correlationId, async () => {
          if (job.processedOn)
            recordQueueWait({ commandType: envelope.type, waitMs: job.processedOn - job.timestamp });
          const outcome = await retryInPlace(
            () => host.handle(envelope),
            retry,
            (error, attempt, delayMs) =>
              logger.warn(
                { commandId: envelope.commandId, attempt, delayMs: Math.round(delayMs), err: error },
                'command failed, retrying in place',
              ),
          );
          const processed = (outcome: 'failed' | CommandResult['status']) =>
            recordCommandProcessed({
              commandType: envelope.type,
              outcome,
              latencyMs: Date.now() - job.timestamp,
            });
          if (outcome.status === 'failed') {
            processed('failed');
            const reason = (outcome.error as Error)?.message ?? String(outcome.error);
            logger.error({ commandId: envelope.commandId, err: outcome.error }, 'command dead-lettered');
            throw new UnrecoverableError(`after ${outcome.attempts} attempts: ${reason}`);
          }
          const result = outcome.value;
          span.setAttribute(attr.outcome, result.status);
          if (result.status === 'accepted') span.setAttribute(attr.aggregateVersion, result.version);
          else span.setAttribute(attr.rejectionCode, result.code);
          processed(result.status);
          return result;
        }),
    );
  };
