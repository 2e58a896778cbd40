import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { answerCommand, type CommandReply } from '../broker/commandGateway.js';
import { headerTraceContext } from '../broker/eventMessage.js';
import type { CommandClient } from '../commands/index.js';
import type { NatsSender } from '../config/index.js';
import { createRefusalLog, type LoggerPort } from '../logging/index.js';
import { recordNatsCommandRefused } from '../metrics/index.js';
import { attr, withSpan } from '../tracing/index.js';
import { natsSenderCheck } from './natsSenderCheck.js';
import { allCommandsSubject, type CommandRoute, parseCommandSubject } from './natsSubjects.js';

/** Header names a command request may carry. */
export const commandHeaders = { wait: 'chronicle-wait' } as const;

export type NatsCommandServerOptions = {
  readonly subjectPrefix: string;
  readonly client: CommandClient;
  /** The NATS users whose commands are taken (CHRONICLE_NATS_SENDERS): anyone else is refused. */
  readonly senders: readonly NatsSender[];
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
 * Commands in over NATS: request/reply on `<prefix>.commands.<sender>.<aggregateType>.<commandType>`
 * (a queue group, so any number of pods share them). The sender is the NATS user that published
 * it (the server's permissions hold each user to its own subjects): a user that is no sender, or
 * lacks the role, is refused; else the command is issued by its principal `nats:<user>`. Each
 * request is handled in a consumer span that continues the message's `traceparent`; the reply is
 * the JSON CommandReply. A message without a reply subject, or with header `chronicle-wait: false`,
 * is only enqueued.
 */
export const serveNatsCommands = (
  nc: NatsConnection,
  options: NatsCommandServerOptions,
): NatsCommandServer => {
  const inFlight = new Set<Promise<void>>();
  const refusals = createRefusalLog(options.logger);
  const senderCheck = natsSenderCheck(options.senders);
  const answer = async (route: CommandRoute | undefined, msg: Msg, wait: boolean): Promise<CommandReply> => {
    if (!route)
      return {
        status: 'rejected',
        commandId: '',
        code: 'VALIDATION',
        message: `subject ${msg.subject.slice(0, 200)}: expected <prefix>.commands.<sender>.<aggregateType>.<commandType>`,
      };
    const sender = senderCheck(route.sender, route.aggregateType);
    if (sender.status !== 'allowed') return sender;
    return answerCommand(
      options.client,
      { ...route, body: msg.data, wait },
      { waitMs: options.waitMs, issuedBy: sender.principal.id },
    );
  };
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
        const answered = await answer(route, msg, wait);
        span.setAttribute(attr.outcome, outcomeOf(answered));
        if (answered.status !== 'failed' && answered.commandId)
          span.setAttribute(attr.commandId, answered.commandId);
        return answered;
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
