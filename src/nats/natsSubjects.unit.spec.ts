import { describe, expect, it } from 'vitest';
import { commandSubject, eventSubject, isSubjectToken, parseCommandSubject } from './natsSubjects.js';

describe('NATS subjects', () => {
  it('names an event by prefix, stream type and event type', () => {
    expect(eventSubject('chronicle', 'order', 'OrderPlaced')).toBe('chronicle.events.order.OrderPlaced');
  });

  it('reads the sender, aggregate and command type back from a command subject, with a dotted prefix too', () => {
    expect(
      parseCommandSubject('acme.chronicle', commandSubject('acme.chronicle', 'shop', 'order', 'PlaceOrder')),
    ).toEqual({
      sender: 'shop',
      aggregateType: 'order',
      commandType: 'PlaceOrder',
    });
  });

  it('refuses subjects of another shape', () => {
    // without a sender (the subject of old)
    expect(parseCommandSubject('chronicle', 'chronicle.commands.order.PlaceOrder')).toBeUndefined();
    expect(
      parseCommandSubject('chronicle', 'chronicle.commands.shop.order.PlaceOrder.extra'),
    ).toBeUndefined();
    expect(parseCommandSubject('chronicle', 'other.commands.shop.order.PlaceOrder')).toBeUndefined();
  });

  it('knows which names can be a subject token', () => {
    expect(isSubjectToken('OrderPlaced')).toBe(true);
    for (const bad of ['a.b', '*', '>', 'a b', '']) expect(isSubjectToken(bad)).toBe(false);
  });
});
