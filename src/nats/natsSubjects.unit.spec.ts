import { describe, expect, it } from 'vitest';
import { commandSubject, eventSubject, isSubjectToken, parseCommandSubject } from './natsSubjects.js';

describe('NATS subjects', () => {
  it('names an event by prefix, stream type and event type', () => {
    expect(eventSubject('chronicle', 'order', 'OrderPlaced')).toBe('chronicle.events.order.OrderPlaced');
  });

  it('reads the aggregate and command type back from a command subject, with a dotted prefix too', () => {
    expect(
      parseCommandSubject('acme.chronicle', commandSubject('acme.chronicle', 'order', 'PlaceOrder')),
    ).toEqual({
      aggregateType: 'order',
      commandType: 'PlaceOrder',
    });
  });

  it('refuses subjects of another shape', () => {
    expect(parseCommandSubject('chronicle', 'chronicle.commands.order')).toBeUndefined();
    expect(parseCommandSubject('chronicle', 'chronicle.commands.order.PlaceOrder.extra')).toBeUndefined();
    expect(parseCommandSubject('chronicle', 'other.commands.order.PlaceOrder')).toBeUndefined();
  });

  it('knows which names can be a subject token', () => {
    expect(isSubjectToken('OrderPlaced')).toBe(true);
    for (const bad of ['a.b', '*', '>', 'a b', '']) expect(isSubjectToken(bad)).toBe(false);
  });
});
