import { describe, expect, it } from 'vitest';
import { isChronicleError } from '../errors/index.js';
import type { RecordedEvent } from '../messages/index.js';
import { EventSchemaError, notYetReadable } from './eventSchemaError.js';
import {
  createEventSchemas,
  currentSchemaVersion,
  knowsSchemaVersion,
  noEventSchemas,
  storedTypeNames,
  upcastEvent,
} from './eventSchemas.js';
import { eventVersions } from './eventVersions.js';

type PlacedV1 = { total: number };
type PlacedV2 = { total: number; currency: string };
type PlacedV3 = { amount: { value: number; currency: string } };

const stored = (type: string, schemaVersion: number, data: unknown): RecordedEvent => ({
  type,
  schemaVersion,
  data,
  eventId: 'e-1',
  streamType: 'order',
  streamId: 'o-1',
  version: 4,
  globalPosition: 42,
  transactionId: '7',
  metadata: { commandId: 'c-1', correlationId: 'c-1', causationId: 'c-1', issuedBy: 'shop-eu' },
  recordedAt: '2026-01-01T00:00:00.000Z',
});

const Placed = eventVersions<PlacedV1>()
  .upcast(
    (data, metadata): PlacedV2 => ({ ...data, currency: metadata.issuedBy === 'shop-us' ? 'USD' : 'EUR' }),
  )
  .upcast((data): PlacedV3 => ({ amount: { value: data.total, currency: data.currency } }))
  .wasNamed('OrderCreated');
const schemas = createEventSchemas([{ type: 'order', events: { OrderPlaced: Placed } }]);

const schemaError = (run: () => unknown): EventSchemaError => {
  try {
    run();
  } catch (error) {
    expect(isChronicleError(error, 'EVENT_SCHEMA')).toBe(true);
    return error as EventSchemaError;
  }
  throw new Error('expected an EVENT_SCHEMA error');
};

describe('event schema versions', () => {
  it('counts versions from 1: each upcast adds one, and new events are written in the last', () => {
    expect([Placed.oldest, Placed.current]).toEqual([1, 3]);
    expect(currentSchemaVersion(schemas, 'order', 'OrderPlaced')).toBe(3);
    expect(currentSchemaVersion(schemas, 'order', 'OrderPaid')).toBe(1);
    expect(currentSchemaVersion(schemas, 'payment', 'OrderPlaced')).toBe(1);
  });

  it('reads a version-1 event through every step, each given the data and the metadata', () => {
    const event = upcastEvent(schemas, stored('OrderPlaced', 1, { total: 30 }));
    expect(event).toMatchObject({
      type: 'OrderPlaced',
      schemaVersion: 3,
      data: { amount: { value: 30, currency: 'EUR' } },
    });
    const us = stored('OrderPlaced', 1, { total: 5 });
    const fromUs = upcastEvent(schemas, { ...us, metadata: { ...us.metadata, issuedBy: 'shop-us' } });
    expect(fromUs.data).toEqual({ amount: { value: 5, currency: 'USD' } });
  });

  it('starts a chain where the stored version stands, and leaves a current event as it is', () => {
    expect(upcastEvent(schemas, stored('OrderPlaced', 2, { total: 1, currency: 'SEK' })).data).toEqual({
      amount: { value: 1, currency: 'SEK' },
    });
    const current = stored('OrderPlaced', 3, { amount: { value: 1, currency: 'EUR' } });
    expect(upcastEvent(schemas, current)).toBe(current);
  });

  it('reads an event stored under an old name as the new type', () => {
    const event = upcastEvent(schemas, stored('OrderCreated', 1, { total: 9 }));
    expect(event).toMatchObject({ type: 'OrderPlaced', schemaVersion: 3 });
  });

  it('looks for a type under its old names too, so a filter on the new name finds older events', () => {
    expect(storedTypeNames(schemas, ['OrderPlaced', 'OrderPaid'])).toEqual([
      'OrderPlaced',
      'OrderPaid',
      'OrderCreated',
    ]);
    expect(storedTypeNames(schemas, ['OrderPaid'])).toEqual(['OrderPaid']);
  });

  it('passes version-1 events of types without a chain, and of streams without schemas', () => {
    const paid = stored('OrderPaid', 1, {});
    expect(upcastEvent(schemas, paid)).toBe(paid);
    expect(upcastEvent(noEventSchemas, paid)).toBe(paid);
  });

  it('refuses a version from the future, naming the event', () => {
    const error = schemaError(() => upcastEvent(schemas, stored('OrderPlaced', 4, {})));
    expect(error).toBeInstanceOf(EventSchemaError);
    expect(error.message).toContain('OrderPlaced schema version 4 (order/o-1 v4, position 42, event e-1)');
    expect(error.message).toContain('newer than version 3');
    expect(error).toMatchObject({
      eventType: 'OrderPlaced',
      schemaVersion: 4,
      streamId: 'o-1',
      globalPosition: 42,
    });
    expect(schemaError(() => upcastEvent(noEventSchemas, stored('OrderPaid', 2, {}))).message).toContain(
      'newer than version 1',
    );
  });

  it("tells a version from a newer release (not yet readable) from this code's own faults", () => {
    const newer = schemaError(() => upcastEvent(schemas, stored('OrderPlaced', 4, {})));
    expect(newer).toMatchObject({ problem: 'newer-version', knownVersion: 3 });
    expect(notYetReadable(newer)).toBe(newer);
    expect(notYetReadable(new Error('while handling', { cause: newer }))).toBe(newer);
    const invalid = schemaError(() => upcastEvent(schemas, stored('OrderPlaced', 0, {})));
    expect(invalid.problem).toBe('not-a-version');
    expect(notYetReadable(invalid)).toBeUndefined();
    expect(notYetReadable(new Error('newer than version 3'))).toBeUndefined();
    expect(
      knowsSchemaVersion(schemas, { streamType: 'order', eventType: 'OrderPlaced', schemaVersion: 3 }),
    ).toBe(true);
    expect(
      knowsSchemaVersion(schemas, { streamType: 'order', eventType: 'OrderCreated', schemaVersion: 2 }),
    ).toBe(true);
    expect(
      knowsSchemaVersion(schemas, { streamType: 'order', eventType: 'OrderPlaced', schemaVersion: 4 }),
    ).toBe(false);
    expect(
      knowsSchemaVersion(noEventSchemas, { streamType: 'order', eventType: 'OrderPaid', schemaVersion: 2 }),
    ).toBe(false);
  });

  it('refuses a version the chain has no step from (its older upcasters retired)', () => {
    const retired = createEventSchemas([
      {
        type: 'order',
        events: {
          OrderPlaced: eventVersions<PlacedV2>({ from: 2 }).upcast(
            (d): PlacedV3 => ({ amount: { value: d.total, currency: d.currency } }),
          ),
        },
      },
    ]);
    expect(upcastEvent(retired, stored('OrderPlaced', 2, { total: 1, currency: 'EUR' })).schemaVersion).toBe(
      3,
    );
    expect(schemaError(() => upcastEvent(retired, stored('OrderPlaced', 1, { total: 1 }))).message).toContain(
      'no upcaster from version 1 (the chain of order OrderPlaced reads versions 2..3)',
    );
  });

  it('refuses a version that is not a positive integer, and wraps an upcaster that throws', () => {
    expect(schemaError(() => upcastEvent(schemas, stored('OrderPlaced', 0, {}))).message).toContain(
      'not a schema version',
    );
    const throwing = createEventSchemas([
      {
        type: 'order',
        events: {
          OrderPlaced: eventVersions<PlacedV1>().upcast(() => {
            throw new Error('boom');
          }),
        },
      },
    ]);
    const error = schemaError(() => upcastEvent(throwing, stored('OrderPlaced', 1, {})));
    expect(error.message).toContain('the upcaster from version 1 failed');
    expect((error.cause as Error).message).toBe('boom');
  });

  it('refuses an old name that another type also claims, or that names a current type', () => {
    const a = eventVersions<PlacedV1>().wasNamed('Old');
    expect(() =>
      createEventSchemas([{ type: 'order', events: { A: a, B: eventVersions<PlacedV1>().wasNamed('Old') } }]),
    ).toThrow(/"B" was named "Old", but "Old" already reads as "A"/);
    expect(() =>
      createEventSchemas([{ type: 'order', events: { A: a, Old: eventVersions<PlacedV1>() } }]),
    ).toThrow(/CONFIGURATION|already reads/);
  });

  it('types each step by the one before', () => {
    eventVersions<PlacedV1>()
      // @ts-expect-error: version 1 has no currency
      .upcast((data) => data.currency);
    expect(() => eventVersions({ from: 0 })).toThrow(/from must be a positive integer/);
  });
});
