import { describe, expect, it } from 'vitest';
import { ChronicleError, isChronicleError } from './chronicleError.js';
import { CommandRejection } from './commandRejection.js';
import { ConcurrencyError } from './concurrencyError.js';

describe('ChronicleError', () => {
  it('takes only a listed code: the compiler refuses any other (npm run typecheck)', () => {
    // @ts-expect-error 'CONFIGRATION' is not a listed code
    const typo = new ChronicleError('CONFIGRATION', 'a typo in a code');
    expect(isChronicleError(typo)).toBe(true);
    expect(isChronicleError(typo, 'CONFIGURATION')).toBe(false);
  });

  it('is checked by code across classes, and by brand rather than instanceof', () => {
    const conflict = new ConcurrencyError('order', 'o-1', 1, 2);
    expect(isChronicleError(conflict, 'CONCURRENCY')).toBe(true);
    const copy = Object.assign(new Error('from another copy of the package'), {
      isChronicleError: true,
      code: 'TIMEOUT',
    });
    expect(isChronicleError(copy, 'TIMEOUT')).toBe(true);
    expect(isChronicleError(new Error('plain'))).toBe(false);
  });

  it("lets a domain reject with its own codes next to the runtime's", () => {
    expect(new CommandRejection('PRICE_UNCHANGED', 'same price').code).toBe('PRICE_UNCHANGED');
    expect(isChronicleError(new CommandRejection('VALIDATION', 'bad'), 'VALIDATION')).toBe(true);
  });
});
