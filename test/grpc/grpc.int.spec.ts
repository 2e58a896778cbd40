import { once } from 'node:events';
import {
  type ClientReadableStream,
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  Metadata,
  type ServiceClientConstructor,
  status,
} from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcServer, type GrpcServer } from '../../src/grpc/index.js';
import type { ApiServer } from '../../src/http/index.js';
import { apiKeyEntries, JWT_SECRET, keys, signToken } from '../http/support/apiKeys.js';
import { call } from '../http/support/http.js';
import { startInProcessApi } from '../http/support/inProcessApi.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { waitFor } from '../support/waitFor.js';
import { connect, failure, type GrpcClient, promised, withKey } from './grpcClient.js';

let path: CommandPath;
let api: ApiServer;
let grpc: GrpcServer;
let client: GrpcClient;
let address: string;
let httpUrl: string;

beforeAll(async () => {
  path = await createCommandPath();
  await path.startWorker();
  // small caps, so the spec can reach them: the pod's live feeds, whatever their transport
  ({ server: api, url: httpUrl } = await startInProcessApi(path.config, {
    stream: { heartbeatMs: 1_000, pollMs: 200, maxConnections: 20, maxPerPrincipal: 2 },
    auth: { apiKeys: apiKeyEntries, jwt: { secret: JWT_SECRET } },
  }));
  grpc = createGrpcServer({ context: api.context, host: '127.0.0.1', port: 0 });
  address = `127.0.0.1:${await grpc.listen()}`;
  client = connect(address);
}, 60_000);

afterAll(async () => {
  client?.close();
  await grpc?.close();
  await api?.close();
  await path?.close();
});

const sender = () => withKey(keys.sender);
const reader = () => withKey(keys.reader);

const order = (aggregateId: string, type: string, payload: unknown, extra: object = {}) => ({
  aggregateType: 'order',
  aggregateId,
  type,
  payload: toValue(payload),
  ...extra,
});

/** JSON as google.protobuf.Value, as a client builds it. */
const toValue = (json: unknown): object => {
  if (json === null) return { nullValue: 'NULL_VALUE' };
  if (typeof json === 'number') return { numberValue: json };
  if (typeof json === 'string') return { stringValue: json };
  if (typeof json === 'boolean') return { boolValue: json };
  if (Array.isArray(json)) return { listValue: { values: json.map(toValue) } };
  return {
    structValue: {
      fields: Object.fromEntries(Object.entries(json as object).map(([k, v]) => [k, toValue(v)])),
    },
  };
};

type Received = { position: string; event: { aggregateId: string; type: string; version: number } };

/** Collects a Subscribe call's messages; resolves once it has `count`. */
const collect = (call: ClientReadableStream<Record<string, unknown>>) => {
  const messages: Received[] = [];
  call.on('data', (message) => messages.push(message as unknown as Received));
  call.on('error', () => {});
  return {
    messages,
    waitFor: (count: number) =>
      waitFor(() => messages.length >= count && messages, { what: `${count} messages`, timeoutMs: 30_000 }),
  };
};

/** Whether the feed started (its headers name its start position) or was refused. */
const feedStarted = (call: ClientReadableStream<Record<string, unknown>>) =>
  new Promise<boolean>((resolve) => {
    call.on('metadata', (metadata: Metadata) => {
      if (/^\d+-\d+$/.test(String(metadata.get('chronicle-position')[0]))) resolve(true);
    });
    call.on('error', () => resolve(false));
  });

describe('chronicle.v1.ChronicleService over a real gRPC client', () => {
  it('sends a command and waits for its answer, or answers enqueued without waiting', async () => {
    const placed = await client.send(
      order('g-1', 'PlaceOrder', placeOrderPayload, { wait: true, correlationId: 'checkout-g-1' }),
      sender(),
    );
    expect(placed).toMatchObject({
      outcome: 'accepted',
      accepted: { aggregateType: 'order', aggregateId: 'g-1', version: 1 },
    });
    const [event] = (placed.accepted as { events: Record<string, unknown>[] }).events;
    expect(event).toMatchObject({ type: 'OrderPlaced', aggregateId: 'g-1', version: 1 });
    expect(event?.metadata).toMatchObject({
      fields: { correlationId: { stringValue: 'checkout-g-1' }, issuedBy: { stringValue: 'key:sender' } },
    });

    const queued = await client.send(
      order('g-1', 'InitiatePayment', {}, { commandId: 'pay-g-1', correlationId: 'checkout-g-1' }),
      sender(),
    );
    expect(queued).toEqual({ commandId: 'pay-g-1', outcome: 'enqueued', enqueued: {} });
    // the same id again is the same command: its answer, nothing appended twice
    const again = await waitFor(async () => {
      const answer = await client.send(
        order('g-1', 'InitiatePayment', {}, { commandId: 'pay-g-1', wait: true }),
        sender(),
      );
      return answer.outcome === 'accepted' && answer;
    });
    expect(again).toMatchObject({ commandId: 'pay-g-1', accepted: { version: 2 } });
  });

  it('reads the aggregate, its stream and its correlation', async () => {
    await client.send(
      order('g-2', 'PlaceOrder', placeOrderPayload, { wait: true, correlationId: 'story-g-2' }),
      sender(),
    );
    await client.send(
      order('g-2', 'InitiatePayment', {}, { wait: true, correlationId: 'story-g-2' }),
      sender(),
    );

    const state = await client.getAggregate({ aggregateType: 'order', aggregateId: 'g-2' }, reader());
    expect(state).toMatchObject({ aggregateType: 'order', aggregateId: 'g-2', version: 2, headVersion: 2 });
    expect(state.activePaths).toContain('placed.payment.processing');
    const first = await client.getAggregate(
      { aggregateType: 'order', aggregateId: 'g-2', version: 1 },
      reader(),
    );
    expect(first).toMatchObject({ version: 1, headVersion: 2 });
    expect(first.activePaths).toContain('placed.payment.pending');

    const page = await client.readStream(
      { aggregateType: 'order', aggregateId: 'g-2', fromVersion: 2 },
      reader(),
    );
    expect(page.version).toBe(2);
    expect((page.events as { type: string; version: number }[]).map((e) => [e.type, e.version])).toEqual([
      ['OrderPaymentInitiated', 2],
    ]);

    const story = await client.getCorrelation({ correlationId: 'story-g-2' }, reader());
    expect((story.steps as { kind: string; type: string }[]).map((step) => [step.kind, step.type])).toEqual([
      ['command', 'PlaceOrder'],
      ['event', 'OrderPlaced'],
      ['command', 'InitiatePayment'],
      ['event', 'OrderPaymentInitiated'],
    ]);
    expect(await failure(client.getCorrelation({ correlationId: 'none-such' }, reader()))).toMatchObject({
      code: status.NOT_FOUND,
      chronicleCode: 'NOT_FOUND',
    });
    expect(
      await failure(client.getAggregate({ aggregateType: 'order', aggregateId: 'g-none' }, reader())),
    ).toMatchObject({ code: status.NOT_FOUND });
  });

  it('streams the live feed filtered, and resumes after the last position received without a gap or a repeat', async () => {
    const feed = { aggregateType: 'order', aggregateId: 's-1' };
    const firstCall = client.subscribe({ ...feed, fromStart: true }, reader());
    const first = collect(firstCall);
    await client.send(order('s-1', 'PlaceOrder', placeOrderPayload, { wait: true }), sender());
    // another aggregate's events pass the type filter but not the id filter
    await client.send(order('s-2', 'PlaceOrder', placeOrderPayload, { wait: true }), sender());
    await client.send(order('s-1', 'InitiatePayment', {}, { wait: true }), sender());
    await first.waitFor(2);
    firstCall.cancel();
    expect(first.messages.map((m) => [m.event.aggregateId, m.event.type])).toEqual([
      ['s-1', 'OrderPlaced'],
      ['s-1', 'OrderPaymentInitiated'],
    ]);

    // while nobody listens
    await client.send(order('s-1', 'FailPayment', { reason: 'declined' }, { wait: true }), sender());
    const last = first.messages.at(-1)?.position as string;
    expect(last).toMatch(/^\d+-\d+$/);
    const resumedCall = client.subscribe({ ...feed, after: last }, reader());
    const resumed = collect(resumedCall);
    await client.send(order('s-1', 'InitiatePayment', {}, { wait: true }), sender());
    await resumed.waitFor(2);
    resumedCall.cancel();
    expect(resumed.messages.map((m) => [m.event.type, m.event.version])).toEqual([
      ['OrderPaymentFailed', 3],
      ['OrderPaymentInitiated', 4],
    ]);
  });

  it('caps one caller’s live feeds, and gives the slot back when a feed ends', async () => {
    const open = [client.subscribe({}, reader()), client.subscribe({}, reader())];
    expect(await Promise.all(open.map(feedStarted))).toEqual([true, true]);
    const refused = client.subscribe({}, reader());
    const [error] = (await once(refused, 'error')) as [{ code: number; metadata: Metadata }];
    expect([error.code, error.metadata.get('chronicle-code')[0]]).toEqual([
      status.RESOURCE_EXHAUSTED,
      'TOO_MANY_STREAMS_FOR_CALLER',
    ]);
    for (const call of open) {
      call.on('error', () => {});
      call.cancel();
    }
    // the slots come back once the server has seen the cancellations
    await waitFor(async () => {
      const attempt = client.subscribe({}, reader());
      const started = await feedStarted(attempt);
      attempt.on('error', () => {});
      attempt.cancel();
      return started;
    });
  });

  it('refuses callers as HTTP does: no key, a wrong key, a role short', async () => {
    expect(await failure(client.getAggregate({ aggregateType: 'order', aggregateId: 'g-1' }))).toMatchObject({
      code: status.UNAUTHENTICATED,
      chronicleCode: 'UNAUTHENTICATED',
    });
    expect(
      await failure(
        client.getAggregate({ aggregateType: 'order', aggregateId: 'g-1' }, withKey('not-a-key-0000000000')),
      ),
    ).toMatchObject({ code: status.UNAUTHENTICATED, chronicleCode: 'INVALID_CREDENTIALS' });
    // a reader may not send; a sender for orders may not send payments
    expect(await failure(client.send(order('g-3', 'PlaceOrder', placeOrderPayload), reader()))).toMatchObject(
      {
        code: status.PERMISSION_DENIED,
        chronicleCode: 'FORBIDDEN',
      },
    );
    expect(
      await failure(
        client.send(
          { aggregateType: 'payment', aggregateId: 'p-1', type: 'RequestPayment', payload: toValue({}) },
          withKey(keys.orderSender),
        ),
      ),
    ).toMatchObject({ code: status.PERMISSION_DENIED });
    // and a feed without a key is refused before it opens
    const anonymous = client.subscribe({}, new Metadata());
    const [error] = (await once(anonymous, 'error')) as [{ code: number }];
    expect(error.code).toBe(status.UNAUTHENTICATED);
  });

  it('takes a bearer token in the metadata, with the roles of its claim', async () => {
    const bearer = async (roles: string[]) => {
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${await signToken('svc-grpc', roles)}`);
      return metadata;
    };
    expect(
      await client.getAggregate({ aggregateType: 'order', aggregateId: 'g-1' }, await bearer(['read'])),
    ).toMatchObject({ aggregateId: 'g-1' });
    expect(
      await failure(client.send(order('j-1', 'PlaceOrder', placeOrderPayload), await bearer(['read']))),
    ).toMatchObject({ code: status.PERMISSION_DENIED, chronicleCode: 'FORBIDDEN' });
    const placed = await client.send(
      order('j-1', 'PlaceOrder', placeOrderPayload, { wait: true }),
      await bearer(['commands:send:order']),
    );
    expect(placed.accepted).toMatchObject({ version: 1 });
    const forged = new Metadata();
    forged.set('authorization', 'Bearer not.a.token');
    expect(
      await failure(client.getAggregate({ aggregateType: 'order', aggregateId: 'g-1' }, forged)),
    ).toMatchObject({ code: status.UNAUTHENTICATED, chronicleCode: 'INVALID_CREDENTIALS' });
  });

  it("spends the caller's rate-limit budget, the one HTTP spends", async () => {
    const read = () =>
      client.getAggregate({ aggregateType: 'order', aggregateId: 'g-1' }, withKey(keys.limited));
    // the limited key may make LIMITED_RATE (3) calls a window: two over HTTP, one over gRPC
    for (let i = 0; i < 2; i++)
      expect((await call(`${httpUrl}/v1/whoami`, { headers: { 'x-api-key': keys.limited } })).status).toBe(
        200,
      );
    expect(await read()).toMatchObject({ aggregateId: 'g-1' });
    const refused = await failure(read());
    expect(refused).toMatchObject({ code: status.RESOURCE_EXHAUSTED, chronicleCode: 'RATE_LIMITED' });
    expect(refused.details).toMatch(/rate limit of 3 requests/);
  });

  it('checks payloads with the command schemas, and maps rejections to status codes', async () => {
    const invalid = await failure(
      client.send(
        order('v-1', 'PlaceOrder', { ...placeOrderPayload, quantity: -1 }, { wait: true }),
        sender(),
      ),
    );
    expect(invalid).toMatchObject({ code: status.INVALID_ARGUMENT, chronicleCode: 'VALIDATION' });
    expect(invalid.details).toMatch(/quantity/);
    expect(await failure(client.send(order('v-1', 'Teleport', {}), sender()))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      chronicleCode: 'UNKNOWN_COMMAND',
    });
    // the envelope is checked as HTTP checks its body
    expect(
      await failure(client.send(order('bad id!', 'PlaceOrder', placeOrderPayload), sender())),
    ).toMatchObject({
      code: status.INVALID_ARGUMENT,
      chronicleCode: 'INVALID_REQUEST',
    });
    // a command the state does not allow: a conflict, not a bad request
    expect(
      await failure(client.send(order('v-2', 'ConfirmPayment', {}, { wait: true }), sender())),
    ).toMatchObject({ code: status.FAILED_PRECONDITION, chronicleCode: 'INVALID_TRANSITION' });
    expect(
      await failure(
        client.readStream({ aggregateType: 'order', aggregateId: 'g-1', limit: 5_000 }, reader()),
      ),
    ).toMatchObject({ code: status.INVALID_ARGUMENT, chronicleCode: 'INVALID_REQUEST' });
  });

  it('answers the standard health check', async () => {
    expect(await client.healthCheck({ service: '' })).toEqual({ status: 'SERVING' });
    expect(await client.healthCheck({ service: 'chronicle.v1.ChronicleService' })).toEqual({
      status: 'SERVING',
    });
  });

  it('describes itself through server reflection, enough for a client to call it knowing no .proto', async () => {
    const ask = async (request: object) => {
      const open = client.reflection.ServerReflectionInfo as () => NodeJS.ReadWriteStream & {
        write(message: object): void;
      };
      const stream = open.call(client.reflection);
      const answer = once(stream, 'data');
      stream.write(request);
      const [message] = (await answer) as [Record<string, unknown>];
      stream.end();
      return message;
    };
    const listed = await ask({ listServices: '*' });
    const names = (listed.listServicesResponse as { service: { name: string }[] }).service.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['chronicle.v1.ChronicleService', 'grpc.health.v1.Health']));

    const files = await ask({ fileContainingSymbol: 'chronicle.v1.ChronicleService' });
    const descriptors = (files.fileDescriptorResponse as { fileDescriptorProto: Buffer[] })
      .fileDescriptorProto;
    // a FileDescriptorSet is its files, each as field 1: build one from what reflection gave
    const set = Buffer.concat(
      descriptors.map((file) => Buffer.concat([Buffer.from([0x0a]), varint(file.length), file])),
    );
    const definition = loadFileDescriptorSetFromBuffer(set, {
      keepCase: false,
      longs: Number,
      defaults: true,
      oneofs: true,
    });
    const Service = ((loadPackageDefinition(definition).chronicle as GrpcObject).v1 as GrpcObject)
      .ChronicleService as ServiceClientConstructor;
    const reflected = new Service(address, credentials.createInsecure());
    const state = await promised(reflected, 'GetAggregate')(
      { aggregateType: 'order', aggregateId: 'g-1' },
      reader(),
    );
    reflected.close();
    expect(state).toMatchObject({ aggregateType: 'order', aggregateId: 'g-1', version: 2 });
  });
});

const varint = (value: number): Buffer => {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
};
