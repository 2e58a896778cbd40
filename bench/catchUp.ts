import type { Knex } from '@mikro-orm/postgresql';
import { domainEventSchemas } from '../actors/index.js';
import { defaultSubscriptionSettings, type SubscriptionSettings } from '../src/config/index.js';
import { type SubscriptionDefinition, SubscriptionHost } from '../src/subscriptions/index.js';

export type Figures = { readonly events: number; readonly seconds: number; readonly perSecond: number };

/** `events` handled since `startedAt` (a `performance.now()`): seconds and events per second. */
export const figures = (events: number, startedAt: number): Figures => {
  const seconds = (performance.now() - startedAt) / 1000;
  return { events, seconds: Number(seconds.toFixed(3)), perSecond: Math.round(events / seconds) };
};

/** The defaults, with a bench worker id, `batchSize` and a 50 ms poll. */
export const benchSettings = (workerId: string, batchSize: number): SubscriptionSettings => ({
  ...defaultSubscriptionSettings(),
  workerId,
  batchSize,
  pollIntervalMs: 50,
});

/**
 * One host running `subscription` from its checkpoint until it has handled `total` events: the time
 * from the host's start to the batch that reaches `total` (the host's stop is not timed).
 */
export const timeCatchUp = async (
  knex: Knex,
  subscription: SubscriptionDefinition,
  total: number,
  settings: SubscriptionSettings,
): Promise<Figures> => {
  let handled = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const started = performance.now();
  const host = await SubscriptionHost.start({
    schemas: domainEventSchemas,
    knex,
    subscriptions: [subscription],
    settings,
    onBatch: ({ count }) => {
      handled += count;
      if (handled >= total) done();
    },
  });
  await finished;
  const result = figures(total, started);
  await host.stop();
  return result;
};
