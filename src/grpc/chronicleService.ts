import type {
  handleServerStreamingCall,
  handleUnaryCall,
  Metadata,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { z } from 'zod';
import {
  type Access,
  CorrelationParams,
  knownType,
  type Principal,
  parseInput,
  queryData,
  readStreamPage,
  SendCommandBody,
  type SendOutcome,
  StreamEventsQuery,
  StreamParams,
  sendAsCaller,
  senderOf,
  withActivePaths,
} from '../http/index.js';
import { aggregateStateAt, correlationStory } from '../queries/index.js';
import { attr, withSpan } from '../tracing/index.js';
import { callerOf, callerTraceContext } from './callContext.js';
import { rejectionError } from './grpcStatus.js';
import { fromProtoValue, type ProtoValue } from './jsonValue.js';
import { CHRONICLE_SERVICE } from './protoFiles.js';
import { aggregateMessage, eventMessage, given, storyStepMessage } from './protoMessages.js';
import { failCall, type ServiceDeps } from './serviceDeps.js';
import { type SubscribeRequest, subscribe } from './subscribe.js';

/** A unary method: the caller authenticated and authorized, in a server span continuing its trace. */
const unary =
  <Request, Response>(
    deps: ServiceDeps,
    method: string,
    access: Exclude<Access, 'public'>,
    run: (request: Request, caller: Principal) => Promise<Response>,
  ): handleUnaryCall<Request, Response> =>
  (call, callback) => {
    const metadata: Metadata = call.metadata;
    withSpan(
      'server',
      `${CHRONICLE_SERVICE}/${method}`,
      {
        parent: callerTraceContext(metadata),
        attributes: {
          [attr.rpcSystem]: 'grpc',
          [attr.rpcService]: CHRONICLE_SERVICE,
          [attr.rpcMethod]: method,
        },
      },
      async (span) => {
        const caller = await callerOf(deps, call, access);
        span.setAttribute(attr.principal, caller.id);
        return run(call.request, caller);
      },
    ).then(
      (response) => callback(null, response),
      (error: unknown) => callback(failCall(deps, method, error)),
    );
  };

type SendRequest = {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly type: string;
  readonly payload: ProtoValue | null;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly wait: boolean;
  readonly timeoutMs: number;
};

const sendAnswer = (outcome: SendOutcome) => {
  switch (outcome.status) {
    case 'accepted': {
      const { result } = outcome;
      return {
        commandId: result.commandId,
        accepted: {
          aggregateType: result.aggregateType,
          aggregateId: result.aggregateId,
          version: result.version,
          events: result.events.map(eventMessage),
        },
      };
    }
    case 'enqueued':
      return { commandId: outcome.commandId, enqueued: {} };
    case 'rejected':
      throw rejectionError(outcome.rejection);
    default:
      return outcome satisfies never;
  }
};

const send = (deps: ServiceDeps) => {
  const { ctx } = deps;
  const Wait = z.strictObject({
    wait: z.boolean(),
    /** Bounded by CHRONICLE_COMMAND_WAIT_MAX_MS; 0 is the default wait. */
    timeoutMs: z.number().int().min(0).max(ctx.settings.commandWait.maxMs),
  });
  return unary(deps, 'Send', 'send', async (request: SendRequest, caller) => {
    const body = parseInput(
      SendCommandBody,
      {
        aggregateType: request.aggregateType,
        aggregateId: request.aggregateId,
        type: request.type,
        ...(request.payload ? { payload: fromProtoValue(request.payload) } : {}),
        commandId: given(request.commandId),
        correlationId: given(request.correlationId),
        causationId: given(request.causationId),
      },
      'body',
    );
    const { wait, timeoutMs } = parseInput(
      Wait,
      { wait: request.wait, timeoutMs: request.timeoutMs },
      'body',
    );
    const sender = senderOf(caller, body.aggregateType);
    return sendAnswer(
      await sendAsCaller(ctx, sender, body, wait, timeoutMs || ctx.settings.commandWait.defaultMs),
    );
  });
};

type StreamRequest = { readonly aggregateType: string; readonly aggregateId: string };

const streamParams = (request: StreamRequest) =>
  parseInput(StreamParams, { type: request.aggregateType, id: request.aggregateId }, 'path');

/** The service's methods, by their names in chronicle.proto. */
export const chronicleService = (deps: ServiceDeps): UntypedServiceImplementation => {
  const { ctx } = deps;
  return {
    Send: send(deps),
    GetAggregate: unary(
      deps,
      'GetAggregate',
      'read',
      async (request: StreamRequest & { readonly version: number }) => {
        const { type, id } = streamParams(request);
        knownType(ctx, type);
        const state = queryData(
          await aggregateStateAt(ctx.store, ctx.registry, {
            aggregateType: type,
            aggregateId: id,
            ...(request.version > 0 ? { version: request.version } : {}),
          }),
        );
        return aggregateMessage(withActivePaths(state));
      },
    ),
    ReadStream: unary(
      deps,
      'ReadStream',
      'read',
      async (request: StreamRequest & { readonly fromVersion: number; readonly limit: number }) => {
        const params = streamParams(request);
        const query = parseInput(
          StreamEventsQuery,
          {
            ...(request.fromVersion > 0 ? { fromVersion: request.fromVersion } : {}),
            ...(request.limit > 0 ? { limit: request.limit } : {}),
          },
          'query',
        );
        knownType(ctx, params.type);
        const page = await readStreamPage(ctx, params, query);
        return { ...page, events: page.events.map(eventMessage) };
      },
    ),
    GetCorrelation: unary(
      deps,
      'GetCorrelation',
      'read',
      async (request: { readonly correlationId: string }) => {
        const { correlationId } = parseInput(CorrelationParams, request, 'path');
        const steps = queryData(await correlationStory(ctx.store, correlationId));
        return { correlationId, steps: steps.map(storyStepMessage) };
      },
    ),
    Subscribe: ((call) => {
      void subscribe(deps, call);
    }) satisfies handleServerStreamingCall<SubscribeRequest, unknown>,
  };
};
