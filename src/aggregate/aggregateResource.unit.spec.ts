import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { aggregateResource, commandPathOf, pluralOf } from './aggregateResource.js';

type Event = { type: 'LoanOpened' } | { type: 'LoanClosed' } | { type: 'LoanRequested' };
const loanMachine = setup({ types: { context: {} as { open: boolean }, events: {} as Event } }).createMachine(
  {
    context: { open: false },
    initial: 'none',
    states: {
      none: {
        on: {
          LoanOpened: { target: 'open', actions: assign({ open: true }) },
          LoanRequested: { target: 'open' },
        },
      },
      open: { on: { LoanClosed: 'closed' } },
      closed: {},
    },
  },
);

describe('resource naming', () => {
  it('makes the type plural', () => {
    expect(['order', 'address', 'company', 'day', 'box'].map(pluralOf)).toEqual([
      'orders',
      'addresses',
      'companies',
      'days',
      'boxes',
    ]);
  });

  it("names a command's path in kebab-case without the aggregate's own words", () => {
    expect(commandPathOf('order', 'CancelOrder')).toBe('cancel');
    expect(commandPathOf('order', 'UpdateShippingStatus')).toBe('update-shipping-status');
    expect(commandPathOf('order-line', 'AddOrderLine')).toBe('add');
    expect(commandPathOf('order', 'Order')).toBe('order');
  });

  it('infers the creating command from the event the initial state accepts', () => {
    const resource = aggregateResource('loan', loanMachine, ['OpenLoan', 'CloseLoan']);
    expect(resource).toEqual({
      plural: 'loans',
      creates: 'OpenLoan',
      commandPaths: { OpenLoan: 'open', CloseLoan: 'close' },
    });
  });

  it('has no creating command when none matches, or when told so', () => {
    expect(aggregateResource('loan', loanMachine, ['CloseLoan']).creates).toBeUndefined();
    expect(aggregateResource('loan', loanMachine, ['OpenLoan'], { creates: false }).creates).toBeUndefined();
  });

  it('refuses to guess between two creating commands: CONFIGURATION until one is named', () => {
    const both = ['OpenLoan', 'RequestLoan'];
    expect(() => aggregateResource('loan', loanMachine, both)).toThrow(
      expect.objectContaining({
        code: 'CONFIGURATION',
        message: expect.stringContaining('resource.creates'),
      }),
    );
    expect(aggregateResource('loan', loanMachine, both, { creates: 'RequestLoan' }).creates).toBe(
      'RequestLoan',
    );
  });

  it('refuses overrides that name no command, bad segments, and two commands on one path', () => {
    const configuration = expect.objectContaining({ code: 'CONFIGURATION' });
    expect(() => aggregateResource('loan', loanMachine, ['OpenLoan'], { creates: 'Nope' })).toThrow(
      configuration,
    );
    expect(() => aggregateResource('loan', loanMachine, ['OpenLoan'], { plural: 'Loans!' })).toThrow(
      configuration,
    );
    expect(() =>
      aggregateResource('loan', loanMachine, ['OpenLoan', 'CloseLoan'], {
        commandPaths: { CloseLoan: 'open' },
      }),
    ).toThrow(configuration);
  });
});
