import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { answerCommand, type CommandReply } from '../broker/commandGateway.js';
import { headerTraceContext } from '../broker/eventMessage.js';
import type { CommandClient } from '../commands/index.js';
import { createRefusalLog, type LoggerPort } from '../logging/index.js';
import { recordNatsCommandRefused } from '../metrics/index.js';
import { attr, withSpan } from '../tracing/index.js';
import { allCommandsSubject, parseCommandSubject } from './natsSubjects.js';

/** Header names a command request may carry. */
export const commandHeaders = { wait: 'chronicle-wait' } as const;

export type NatsCommandServerOptions = {
  readonly subjectPrefix: string;
  readonly client: CommandClient;
  readonly waitMs: number;
  readonly logger: LoggerPort;
  /** Default `chronicle-commands`: pods in one queue group share the requests. */
  readonly queueGroup?: string;
};

export type NatsCommandServer = {
  /** Stops taking requests, answers the ones in hand. */
  stop(): Promise<void>;
};

const encoder = new TextEncoder();

const header = (msg: Msg, name: string): string | undefined => msg.headers?.get(name) || undefined;

const outcomeOf = (reply: CommandReply): string =>
  reply.status === 'rejected' ? `rejected:${reply.code}` : reply.status;

/**
 * Commands in over NATS: request/reply on `<prefix>.commands.<aggregateType>.<commandType>` (a
 * queue group, so any number of pods share them). Each request is handled in a consumer span that
 * continues the message's `traceparent`; the reply is the JSON CommandReply. A message without a
 * reply subject, or with header `chronicle-wait: false`, is only enqueued.
 */
export const serveNatsCommands = (
  nc: NatsConnection,
  options: NatsCommandServerOptions,
): NatsCommandServer => {
  const inFlight = new Set<Promise<void>>();
  const refusals = createRefusalLog(options.logger);
  const handle = async (msg: Msg) => {
    const route = parseCommandSubject(options.subjectPrefix, msg.subject);
    const wait = Boolean(msg.reply) && header(msg, commandHeaders.wait) !== 'false';
    const reply = await withSpan(
      'consumer',
      `process ${msg.subject}`,
      {
        parent: headerTraceContext((name) => header(msg, name)),
        attributes: {
          [attr.messagingSystem]: 'nats',
          [attr.messagingDestination]: msg.subject,
          [attr.messagingOperationType]: 'process',
          [attr.messagingOperationName]: 'process',
        },
      },
      async (span): Promise<CommandReply> => {
        const answer: CommandReply = route
          ? await answerCommand(
              options.client,
              { ...route, body: msg.data, wait },
              { waitMs: options.waitMs, issuedBy: 'nats' },
            )
          : {
              status: 'rejected',
              commandId: '',
              code: 'VALIDATION',
              message: `subject ${msg.subject}: expected <prefix>.commands.<aggregateType>.<commandType>`,
            };
        span.setAttribute(attr.outcome, outcomeOf(answer));
        if (answer.status !== 'failed' && answer.commandId)
          span.setAttribute(attr.commandId, answer.commandId);
        return answer;
      },
    );
    if (reply.status === 'rejected' || reply.status === 'failed')
      recordNatsCommandRefused({ code: reply.code });
    if (msg.reply) msg.respond(encoder.encode(JSON.stringify(reply)));
    // nobody hears this refusal: counted, and logged once a minute per code, without the input
    // (its issues quote it: a sender could fill the log with its own bytes)
    else if (reply.status === 'rejected' || reply.status === 'failed')
      refusals.refused(
        reply.code,
        { subject: msg.subject.slice(0, 200) },
        'command without a reply subject was not enqueued',
      );
  };
  const subscription = nc.subscribe(allCommandsSubject(options.subjectPrefix), {
    queue: options.queueGroup ?? 'chronicle-commands',
    callback: (error, msg) => {
      if (error) {
        options.logger.error({ err: error }, 'command subscription failed');
        return;
      }
      const running = handle(msg).catch((handleError) =>
        options.logger.error({ err: handleError, subject: msg.subject }, 'command request failed'),
      );
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running));
    },
  });
  return {
    stop: async () => {
      if (!subscription.isClosed()) await subscription.drain().catch(() => {});
      await Promise.all(inFlight);
    },
  };
};
