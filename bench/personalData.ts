import { randomBytes } from 'node:crypto';
import { domainEventSchemas, user } from '../actors/index.js';
import { AggregateInstance } from '../src/aggregate/index.js';
import { createOrm } from '../src/db/index.js';
import { createEventSchemas, type EventSchemas } from '../src/eventSchemas/index.js';
import { createPostgresEventStore } from '../src/eventStore/index.js';
import type { DomainEvent } from '../src/messages/index.js';
import { benchEnvironment } from './benchEnvironment.js';
import { ratio } from './stats.js';

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const metadata = { commandId: 'bench', correlationId: 'bench', causationId: 'bench' };

const registered = (n: number): DomainEvent => ({
  type: 'UserRegistered',
  data: { email: `user-${n}@example.com`, name: `User ${n}`, registeredAt: '2026-01-01T00:00:00.000Z' },
});
const changed = (n: number): DomainEvent => ({
  type: 'UserEmailChanged',
  data: { email: `user-${n}@example.org`, previousEmail: `user-${n - 1}@example.org` },
});

/**
 * What sealing personal fields costs: the sample's user events appended and hydrated with their
 * email and name sealed (the sample's schemas) against the same events with no field marked
 * personal, in one run, interleaved: a first append of a new subject (its key made), an append of a
 * known one, and hydrating a user of `history` events (read and fold, no snapshot). Medians of
 * `runs` rounds.
 */
export const personalDataBench = async (appends = 300, history = 200, runs = 5) => {
  process.env.CHRONICLE_KEK ??= `bench:${randomBytes(32).toString('base64')}`;
  const env = await benchEnvironment('personal');
  const orm = await createOrm(env.databaseUrl, { poolSize: 2 });
  const plainSchemas: EventSchemas = createEventSchemas([{ type: 'user' }]);
  const stores = {
    sealed: createPostgresEventStore(orm, { schemas: domainEventSchemas }),
    plain: createPostgresEventStore(orm, { schemas: plainSchemas }),
  };
  const kinds = ['sealed', 'plain'] as const;
  const samples = {
    newSubject: { sealed: [] as number[], plain: [] as number[] },
    knownSubject: { sealed: [] as number[], plain: [] as number[] },
    hydrate: { sealed: [] as number[], plain: [] as number[] },
  };
  try {
    for (const kind of kinds) {
      const events = [registered(0), ...Array.from({ length: history - 1 }, (_, i) => changed(i + 1))];
      await stores[kind].append({
        streamType: 'user',
        streamId: `${kind}-long`,
        expectedVersion: 0,
        events,
        metadata,
      });
    }
    for (let run = 0; run < runs; run++) {
      for (const kind of kinds) {
        const store = stores[kind];
        // per append, in µs: `event(i)` to each of this round's streams at `expectedVersion`
        const appendEach = async (expectedVersion: number, event: (i: number) => DomainEvent) => {
          const t0 = performance.now();
          for (let i = 0; i < appends; i++)
            await store.append({
              streamType: 'user',
              streamId: `${kind}-${run}-${i}`,
              expectedVersion,
              events: [event(i)],
              metadata,
            });
          return ((performance.now() - t0) * 1000) / appends;
        };
        samples.newSubject[kind].push(await appendEach(0, registered));
        samples.knownSubject[kind].push(await appendEach(1, changed));
        const t0 = performance.now();
        for (let i = 0; i < 20; i++) {
          const { events } = await store.readToFold(
            { streamType: 'user', streamId: `${kind}-long` },
            user.machineHash,
          );
          AggregateInstance.hydrate(user, `${kind}-long`, undefined, events);
        }
        samples.hydrate[kind].push((performance.now() - t0) / 20);
      }
    }
    const figure = (values: number[], digits: number) => Number(median(values).toFixed(digits));
    const pair = (name: keyof typeof samples, digits: number) => {
      const sealed = figure(samples[name].sealed, digits);
      const plain = figure(samples[name].plain, digits);
      return { sealed, plain, sealedVsPlain: ratio(sealed, plain) };
    };
    return {
      appendNewSubjectUs: pair('newSubject', 0),
      appendKnownSubjectUs: pair('knownSubject', 0),
      [`hydrate${history}EventsMs`]: pair('hydrate', 2),
    };
  } finally {
    await orm.close(true);
    await env.drop();
  }
};
