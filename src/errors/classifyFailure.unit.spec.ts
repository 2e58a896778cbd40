import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classifyFailure.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('classifyFailure', () => {
  it('given a prepared statement the server connection does not have (26000, a pooler in transaction mode), is transient: retried, never dead-lettered', () => {
    expect(
      classifyFailure(pgError('26000', 'prepared statement "chronicle_read_to_fold" does not exist')),
    ).toBe('transient');
  });

  it('given a prepared statement the server connection already has from another client (42P05), is transient', () => {
    expect(classifyFailure(pgError('42P05', 'prepared statement "chronicle_append" already exists'))).toBe(
      'transient',
    );
  });

  it('given a value PostgreSQL refuses (22P05), is permanent', () => {
    expect(classifyFailure(pgError('22P05', 'unsupported Unicode escape sequence'))).toBe('permanent');
  });
});
