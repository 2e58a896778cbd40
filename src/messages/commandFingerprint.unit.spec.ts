import { describe, expect, it } from 'vitest';
import { commandFingerprint } from './commandFingerprint.js';

const command = {
  aggregateType: 'order',
  aggregateId: 'o-1',
  type: 'CancelOrder',
  payload: { reason: 'x', n: 1 },
};

describe('commandFingerprint', () => {
  it('is the same for the same command, whatever the order of payload keys', () => {
    expect(commandFingerprint(command)).toBe(
      commandFingerprint({ ...command, payload: { n: 1, reason: 'x' } }),
    );
  });

  it('differs when the aggregate, the type or the payload differs', () => {
    const base = commandFingerprint(command);
    expect(commandFingerprint({ ...command, aggregateType: 'payment' })).not.toBe(base);
    expect(commandFingerprint({ ...command, aggregateId: 'o-2' })).not.toBe(base);
    expect(commandFingerprint({ ...command, type: 'PlaceOrder' })).not.toBe(base);
    expect(commandFingerprint({ ...command, payload: { reason: 'y', n: 1 } })).not.toBe(base);
  });

  it('treats a missing payload as the empty one the client sends', () => {
    expect(commandFingerprint({ ...command, payload: undefined })).toBe(
      commandFingerprint({ ...command, payload: {} }),
    );
  });
});
