import { specDefaults, specFor } from 'chronicle-runtime/testing';
import { describe, it } from 'vitest';
import type { UserEvent } from './events.js';
import { user } from './index.js';

const registered: UserEvent = {
  type: 'UserRegistered',
  data: { email: 'ada@example.com', name: 'Ada', registeredAt: '2025-01-01T09:00:00.000Z' },
};

const spec = specFor(user);

describe('user', () => {
  it('registers with a lower-cased email', () => {
    spec
      .when({ type: 'RegisterUser', data: { email: 'Ada@Example.com', name: 'Ada' } })
      .then([
        {
          type: 'UserRegistered',
          data: { email: 'ada@example.com', name: 'Ada', registeredAt: specDefaults.issuedAt },
        },
      ])
      .thenState({ value: 'active', context: { email: 'ada@example.com' } });
  });

  it('rejects an invalid email, naming the field', () => {
    spec
      .when({ type: 'RegisterUser', data: { email: 'not-an-email', name: 'Ada' } })
      .thenRejected('VALIDATION', 'email');
  });

  it('changes its email, recording the previous one', () => {
    spec
      .given([registered])
      .when({ type: 'ChangeEmail', data: { email: 'ada@lovelace.org' } })
      .then([
        { type: 'UserEmailChanged', data: { email: 'ada@lovelace.org', previousEmail: 'ada@example.com' } },
      ])
      .thenState({ context: { email: 'ada@lovelace.org' } });
  });

  it('rejects a change to the same email, whatever its case', () => {
    spec
      .given([registered])
      .when({ type: 'ChangeEmail', data: { email: 'ADA@example.com' } })
      .thenRejected('EMAIL_UNCHANGED');
  });

  it('accepts nothing once deactivated', () => {
    const deactivated: UserEvent = {
      type: 'UserDeactivated',
      data: { reason: 'left', deactivatedAt: '2025-02-01T00:00:00.000Z' },
    };
    spec
      .given([registered])
      .when({ type: 'DeactivateUser', data: { reason: 'left' } })
      .then([{ type: 'UserDeactivated', data: { reason: 'left', deactivatedAt: specDefaults.issuedAt } }]);
    spec
      .given([registered, deactivated])
      .when({ type: 'ChangeEmail', data: { email: 'new@example.com' } })
      .thenRejected('INVALID_TRANSITION', 'user in state deactivated does not accept UserEmailChanged');
  });

  it('is deleted with a reason, active or deactivated, dropping its email and name from the state', () => {
    spec
      .given([registered])
      .when({ type: 'DeleteUser', data: { reason: 'asked to be erased' } })
      .then([
        { type: 'UserDeleted', data: { reason: 'asked to be erased', deletedAt: specDefaults.issuedAt } },
      ])
      .thenState({ value: 'deleted', context: { email: null, name: null } });
    spec
      .given([
        registered,
        { type: 'UserDeactivated', data: { reason: 'left', deactivatedAt: '2025-02-01T00:00:00.000Z' } },
      ])
      .when({ type: 'DeleteUser', data: { reason: 'asked to be erased' } })
      .thenState({ value: 'deleted' });
  });

  it('refuses a deletion without a reason, and accepts nothing once deleted', () => {
    spec
      .given([registered])
      .when({ type: 'DeleteUser', data: { reason: ' ' } })
      .thenRejected('VALIDATION', 'reason');
    spec
      .given([
        registered,
        { type: 'UserDeleted', data: { reason: 'erased', deletedAt: '2025-03-01T00:00:00.000Z' } },
      ])
      .when({ type: 'DeleteUser', data: { reason: 'again' } })
      .thenRejected('INVALID_TRANSITION', 'user in state deleted does not accept UserDeleted');
  });
});
