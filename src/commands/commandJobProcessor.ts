import { type Job, UnrecoverableError, WaitingError } from 'bullmq';
import type { ActorHost } from '../actorHost/index.js';
import { failureReason, formatFailureReason } from '../errors/index.js';
import { notYetReadable } from '../eventSchemas/index.js';
import { type LoggerPort, withCorrelationBaggage } from '../logging/index.js';
import type { CommandEnvelope, CommandResult } from '../messages/index.js';
import { recordCommandProcessed, recordQueueWait } from '../metrics/index.js';
import { attr, contextFrom, withSpan } from '../tracing/index.js';
import { commandAttributes } from './commandAttributes.js';
import { type RetryPolicy, retryInPlace } from './retryInPlace.js';
import type { LeaveReason, VersionSkewGate } from './versionSkewGate.js';

export type CommandJobProcessorOptions = {
  readonly host: ActorHost;
  readonly shard: number;
  readonly retry?: RetryPolicy | undefined;
  readonly logger: LoggerPort;
  /** Aborted when the worker stops: a command waiting out an outage goes back to the head of its queue. */
  readonly stopping?: AbortSignal;
  /** Leaves to another running release what only it can take (without it, this pod answers all). */
  readonly skew?: VersionSkewGate | undefined;
};

/**
 * What a shard worker does with one job, the worker edge where errors become queue behaviour: the
 * consumer span continues the sender's trace; infrastructure trouble is retried in place (order
 * is kept, however long it lasts); a rejection completes the job with its answer; any other
 * failure is a dead letter at once (classifyFailure).
 */
export const commandJobProcessor =
  ({ host, shard, retry, logger, stopping, skew }: CommandJobProcessorOptions) =>
  async (job: Job<CommandEnvelope>, token?: string): Promise<CommandResult> => {
    const envelope = job.data;
    return withSpan(
      'consumer',
      `process ${envelope.type}`,
      { parent: contextFrom(envelope), attributes: commandAttributes(envelope, shard, 'process') },
      (span) =>
        withCorrelationBaggage(envelope.correlationId, async () => {
          if (job.processedOn)
            recordQueueWait({ commandType: envelope.type, waitMs: job.processedOn - job.timestamp });
          // left at the head of its shard queue for a pod of the release that can take it: the
          // shard's order holds, and this pod records no rejection it was merely too old to avoid
          const leave = async (reason: LeaveReason): Promise<never> => {
            const left = await skew?.leave(envelope, reason, stopping);
            if (left?.status === 'expired') {
              logger.error({ commandId: envelope.commandId, err: left.error }, 'command dead-lettered');
              throw new UnrecoverableError(formatFailureReason(failureReason(left.error)));
            }
            logger.info(
              { commandId: envelope.commandId, releases: reason.releases, why: reason.why },
              'command left for another release',
            );
            span.setAttribute(attr.outcome, 'left');
            await job.moveToWait(token);
            throw new WaitingError();
          };
          const inPlace = <T>(fn: () => Promise<T>) =>
            retryInPlace(
              fn,
              retry,
              (error, attempt, delayMs) =>
                logger.warn(
                  { commandId: envelope.commandId, attempt, delayMs: Math.round(delayMs), err: error },
                  'transient failure, retrying in place',
                ),
              stopping,
            );
          // the registry of releases is read only for a command this release would refuse; an
          // outage while reading it is waited out like any other
          const skewed = skew ? await inPlace(() => skew.leaveBecause(envelope)) : undefined;
          if (skewed?.status === 'ok' && skewed.value) return leave(skewed.value);
          const outcome =
            skewed && skewed.status !== 'ok' ? skewed : await inPlace(() => host.handle(envelope));
          if (outcome.status === 'abandoned') {
            // stopping mid-outage: back to the head of the queue, for whichever pod comes next
            await job.moveToWait(token);
            throw new WaitingError();
          }
          const processed = (outcome: 'failed' | CommandResult['status']) =>
            recordCommandProcessed({
              commandType: envelope.type,
              outcome,
              latencyMs: Date.now() - job.timestamp,
            });
          const unreadable = outcome.status === 'failed' ? notYetReadable(outcome.error) : undefined;
          if (unreadable && skew) return leave(await skew.leaveUnreadable(unreadable));
          if (outcome.status === 'failed') {
            processed('failed');
            // readers get a code and a short message; the whole error goes to the log
            logger.error({ commandId: envelope.commandId, err: outcome.error }, 'command dead-lettered');
            throw new UnrecoverableError(formatFailureReason(failureReason(outcome.error)));
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
