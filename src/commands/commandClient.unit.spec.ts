import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import sample from '../../chronicle.config.js';
import { closedPort } from '../../test/support/closedPort.js';
import type { Aggregate, CommandInputs } from '../aggregate/index.js';
import type { ChronicleConfig } from '../config/index.js';
import { silentLogger } from '../logging/index.js';
import type { CommandRequest } from '../messages/index.js';
import { type CommandClient, type CommandClientOptions, createCommandClient } from './commandClient.js';
import type { DomainRequest } from './domainRequests.js';

// The type specs below fail `npm run typecheck` when a type differs or a line marked as an error
// compiles; vitest only runs the run-time ones.

type Sample = typeof sample;
type SampleRequest = DomainRequest<Sample['aggregates']>;

describe('a client typed by the domain (type specs)', () => {
  it('keeps each command input through defineAggregate, and Aggregate alone is any aggregate', () => {
    const [order] = sample.aggregates;
    expectTypeOf(order).toExtend<Aggregate<'order', AnyStateMachine, { readonly ConfirmPayment: unknown }>>();
    expectTypeOf(order).toExtend<Aggregate>();
    expectTypeOf(sample.aggregates).toExtend<readonly Aggregate[]>();
    expectTypeOf<Aggregate>().toEqualTypeOf<Aggregate<string, AnyStateMachine, CommandInputs>>();
  });

  it('types aggregateType, type and payload per command, from the aggregates or the config type', () => {
    expectTypeOf<SampleRequest['aggregateType']>().toEqualTypeOf<'order' | 'payment' | 'user' | 'product'>();
    expectTypeOf<Extract<SampleRequest, { aggregateType: 'product' }>['type']>().toEqualTypeOf<
      'CreateProduct' | 'ChangePrice' | 'DiscontinueProduct'
    >();
    // the schema's input: what the sender writes, before defaults
    expectTypeOf<Extract<SampleRequest, { type: 'ChangePrice' }>['payload']>().toEqualTypeOf<{
      price: number;
    }>();
    expectTypeOf<CommandClient<SampleRequest>>().toExtend<CommandClient>();

    const typed = (client: CommandClient<SampleRequest>) => [
      client.send({
        aggregateType: 'product',
        aggregateId: 'p-1',
        type: 'ChangePrice',
        payload: { price: 5 },
      }),
      // a payload `{}` satisfies may be left out, and its defaulted fields too
      client.send({ aggregateType: 'order', aggregateId: 'o-1', type: 'ConfirmPayment' }),
      client.send({
        aggregateType: 'order',
        aggregateId: 'o-1',
        type: 'CancelOrder',
        payload: { reason: 'late' },
        correlationId: 'checkout-7',
        commandId: 'cancel-o-1',
      }),
      client.send({
        // @ts-expect-error 'prodcut' is not an aggregate type of the domain
        aggregateType: 'prodcut',
        aggregateId: 'p-1',
        type: 'ChangePrice',
        payload: { price: 5 },
      }),
      client.send({
        aggregateType: 'product',
        aggregateId: 'p-1',
        // @ts-expect-error 'ChangePrise' is not a command of product
        type: 'ChangePrise',
        payload: { price: 5 },
      }),
      // @ts-expect-error ChangePrice is product's command, not order's
      client.send({ aggregateType: 'order', aggregateId: 'o-1', type: 'ChangePrice', payload: { price: 5 } }),
      client.send({
        aggregateType: 'product',
        aggregateId: 'p-1',
        type: 'ChangePrice',
        // @ts-expect-error the price is a number
        payload: { price: '5' },
      }),
      // @ts-expect-error ChangePrice needs its payload
      client.send({ aggregateType: 'product', aggregateId: 'p-1', type: 'ChangePrice' }),
      // @ts-expect-error a strict schema has no other field
      client.send({
        aggregateType: 'product',
        aggregateId: 'p-1',
        type: 'ChangePrice',
        payload: { price: 5, off: 1 },
      }),
    ];
    expectTypeOf(typed).toBeFunction();

    // typed by the config's type alone (a type import: the sender need not load the domain)
    const fromConfigType = () => createCommandClient<Sample>({ redisUrl: 'redis://127.0.0.1:6379' });
    expectTypeOf(fromConfigType).returns.toEqualTypeOf<CommandClient<SampleRequest>>();
    // or by the aggregates it is given, which it then checks at run time
    const fromAggregates = () => createCommandClient({ aggregates: sample.aggregates });
    expectTypeOf(fromAggregates).returns.toEqualTypeOf<CommandClient<SampleRequest>>();
    const fromList = () => createCommandClient<typeof sample.aggregates>();
    expectTypeOf(fromList).returns.toEqualTypeOf<CommandClient<SampleRequest>>();
  });

  it('stays untyped without a domain, or with aggregates whose types were erased', () => {
    const untyped = () => createCommandClient();
    expectTypeOf(untyped).returns.toEqualTypeOf<CommandClient<CommandRequest>>();
    const erased = (aggregates: readonly Aggregate[]) => createCommandClient({ aggregates });
    expectTypeOf(erased).returns.toEqualTypeOf<CommandClient<CommandRequest>>();
  });

  it("takes a pod's ChronicleConfig as its options: the connection settings are that config's", () => {
    expectTypeOf<ChronicleConfig>().toExtend<CommandClientOptions>();
    expectTypeOf<CommandClientOptions['queuePrefix']>().toEqualTypeOf<
      ChronicleConfig['queuePrefix'] | undefined
    >();
    expectTypeOf<CommandClientOptions['shards']>().toEqualTypeOf<ChronicleConfig['shards'] | undefined>();
  });
});

describe('a client given the aggregates refuses a bad command before it is enqueued', () => {
  // nothing listens on its Redis port: an answer can only come from the client itself
  let client: CommandClient<SampleRequest>;
  beforeAll(async () => {
    client = createCommandClient({
      redisUrl: `redis://127.0.0.1:${await closedPort()}`,
      shards: 4,
      queuePrefix: 'unit-refusals',
      aggregates: sample.aggregates,
      logger: silentLogger,
    });
  });
  afterAll(() => client.close());

  // what a sender without the types (JavaScript, a request body) may still send
  const untyped = (request: CommandRequest) => request as SampleRequest;

  it('an unknown aggregate type is UNKNOWN_AGGREGATE, naming the known ones', async () => {
    const result = await client.send(
      untyped({ aggregateType: 'prodcut', aggregateId: 'p-1', type: 'ChangePrice', payload: { price: 5 } }),
      { wait: true },
    );
    expect(result).toMatchObject({
      status: 'rejected',
      code: 'UNKNOWN_AGGREGATE',
      details: { known: ['order', 'payment', 'user', 'product'] },
    });
  });

  it('an unknown command is UNKNOWN_COMMAND, naming the aggregate and its commands', async () => {
    const result = await client.send(
      untyped({ aggregateType: 'product', aggregateId: 'p-1', type: 'ChangePrise', payload: { price: 5 } }),
    );
    expect(result).toMatchObject({
      status: 'rejected',
      code: 'UNKNOWN_COMMAND',
      message: 'aggregate "product" has no command "ChangePrise"',
      details: { known: ['CreateProduct', 'ChangePrice', 'DiscontinueProduct'] },
    });
  });

  it('a payload its schema refuses is VALIDATION, naming the field', async () => {
    const result = await client.send(
      untyped({ aggregateType: 'product', aggregateId: 'p-1', type: 'ChangePrice', payload: { price: '5' } }),
      { wait: true },
    );
    expect(result).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(result.status === 'rejected' && result.details).toMatchObject({
      issues: [expect.objectContaining({ path: 'price' })],
    });
  });

  it('answers with the command id it would have had, so the sender can name it', async () => {
    const result = await client.send(
      untyped({ aggregateType: 'order', aggregateId: 'o-1', type: 'Teleport', commandId: 'teleport-o-1' }),
    );
    expect(result).toMatchObject({ status: 'rejected', commandId: 'teleport-o-1', code: 'UNKNOWN_COMMAND' });
  });
});
