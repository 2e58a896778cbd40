import { describe, expect, it } from 'vitest';
import { order, orderPayment } from '../../actors/index.js';
import { activeStatePaths } from './activeStatePaths.js';
import { describeMachine } from './describeMachine.js';
import { mermaidIdOf, mermaidIds, toMermaid } from './toMermaid.js';

describe('describeMachine', () => {
  const description = describeMachine(order);

  it('keeps nested and parallel states as such', () => {
    const placed = description.states.find((state) => state.path === 'placed');
    expect(description.initial).toBe('draft');
    expect(placed?.type).toBe('parallel');
    expect(placed?.states.map((region) => [region.path, region.type, region.initial])).toEqual([
      ['placed.payment', 'compound', 'placed.payment.pending'],
      ['placed.shipping', 'compound', 'placed.shipping.waitingForPayment'],
    ]);
  });

  it('lists every transition with its event and guard, eventless ones included', () => {
    expect(description.transitions).toContainEqual({
      source: 'draft',
      targets: ['placed'],
      event: 'OrderPlaced',
    });
    expect(description.transitions).toContainEqual({
      source: 'placed.shipping.waitingForPayment',
      targets: ['placed.shipping.waitingForShipment'],
      event: null,
      guard: 'isPaid',
    });
    expect(description.transitions).toContainEqual({
      source: 'placed.shipping.waitingForShipment',
      targets: ['cancelled'],
      event: 'OrderCancelled',
    });
    expect(description.events).toContain('OrderShippingStatusUpdated');
  });
});

describe('toMermaid', () => {
  const text = toMermaid(describeMachine(order));

  it('writes a stateDiagram-v2 with composite states and concurrent regions', () => {
    expect(text.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(text).toContain('  state "placed" as placed {\n    state "payment" as placed__payment {');
    expect(text).toMatch(/\n {4}}\n {4}--\n {4}state "shipping" as placed__shipping \{/);
    expect(text).toContain('  [*] --> draft');
    expect(text).toContain('      [*] --> placed__payment__pending');
    expect(text).toContain('  draft --> placed : OrderPlaced');
    expect(text).toContain(
      '  placed__shipping__waitingForPayment --> placed__shipping__waitingForShipment : [isPaid]',
    );
  });

  it('draws as final the states an instance never leaves: nothing from them, an ancestor, or a sibling region leaving it', () => {
    expect(text).toContain('  cancelled --> [*]');
    expect(text).toContain('      placed__shipping__delivered --> [*]');
    // paid accepts nothing itself, but the shipping region can still cancel the whole order
    expect(text).not.toContain('placed__payment__paid --> [*]');
    expect(text).not.toContain('placed__payment__failed --> [*]');
    const payment = toMermaid(describeMachine(orderPayment));
    expect(payment.match(/--> \[\*\]/g)).toHaveLength(2);
    expect(payment).toContain('  failed --> [*]');
    expect(payment).toContain('  refunded --> [*]');
  });

  it('draws one edge per pair of states, its events one under the other, so their labels never overlap', () => {
    const payment = toMermaid(describeMachine(orderPayment));
    expect(payment).toContain('  awaitingPayment --> cancelled : PaymentTimedOut<br/>OrderCancelled\n');
    expect(payment.match(/awaitingPayment --> cancelled/g)).toHaveLength(1);
    // an event handled without leaving the state is written inside it, not drawn as a loop whose
    // label the layout lays across the state's other edges
    expect(payment).toContain('  awaitingPayment : ↻ PaymentRequested\n');
    expect(payment).not.toContain('awaitingPayment --> awaitingPayment');
  });

  it('highlights the given states with a class when asked', () => {
    const lit = toMermaid(describeMachine(order), { active: ['placed.payment.paid'] });
    expect(lit).toContain('class placed__payment__paid active');
  });

  it('maps every state path to its Mermaid id', () => {
    expect(mermaidIds(describeMachine(order))['placed.shipping.inTransit']).toBe(
      'placed__shipping__inTransit',
    );
    expect(mermaidIdOf('a-b.c d')).toBe('a_b__c_d');
  });
});

describe('activeStatePaths', () => {
  it('lists the active states, ancestors first', () => {
    expect(activeStatePaths('draft')).toEqual(['draft']);
    expect(activeStatePaths({ placed: { payment: 'paid', shipping: 'inTransit' } })).toEqual([
      'placed',
      'placed.payment',
      'placed.payment.paid',
      'placed.shipping',
      'placed.shipping.inTransit',
    ]);
  });
});
