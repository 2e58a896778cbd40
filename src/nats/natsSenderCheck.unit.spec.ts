import { describe, expect, it } from 'vitest';
import { natsSenderCheck } from './natsSenderCheck.js';

describe('who may send a command over NATS', () => {
  const check = natsSenderCheck([
    { user: 'shop', roles: ['commands:send:order'] },
    { user: 'ops', roles: ['admin'] },
  ]);

  it('names the sender by its principal, nats:<user>, with its roles', () => {
    expect(check('shop', 'order')).toEqual({
      status: 'allowed',
      principal: { id: 'nats:shop', via: 'nats', roles: ['commands:send:order'] },
    });
    expect(check('ops', 'payment')).toMatchObject({ status: 'allowed' });
  });

  it('refuses a user that is no sender, and a sender without the role for the aggregate type', () => {
    expect(check('stranger', 'order')).toEqual({
      status: 'rejected',
      commandId: '',
      code: 'UNAUTHENTICATED',
      message: 'NATS user "stranger" is not a sender of this deployment',
    });
    expect(check('shop', 'payment')).toEqual({
      status: 'rejected',
      commandId: '',
      code: 'FORBIDDEN',
      message: 'nats:shop may not send commands to "payment"',
    });
  });
});
