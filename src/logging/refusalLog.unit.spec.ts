import { describe, expect, it } from 'vitest';
import { createRefusalLog } from './refusalLog.js';

const capture = () => {
  const lines: object[] = [];
  const push = (object: object, message?: string) => lines.push({ ...object, message });
  return { lines, logger: { info: push, warn: push, error: push } };
};

describe('createRefusalLog', () => {
  it('logs one line per kind per window, then says how many it did not log', () => {
    const { lines, logger } = capture();
    let time = 0;
    const log = createRefusalLog(logger, 1_000, () => time);
    for (let n = 0; n < 50; n++) log.refused('TOO_MANY_STREAMS', { route: '/v1/stream' }, 'pod full');
    log.refused('VALIDATION', {}, 'malformed');
    time = 1_000;
    log.refused('TOO_MANY_STREAMS', { route: '/v1/stream' }, 'pod full');
    expect(lines).toEqual([
      { route: '/v1/stream', code: 'TOO_MANY_STREAMS', message: 'pod full' },
      { code: 'VALIDATION', message: 'malformed' },
      { route: '/v1/stream', code: 'TOO_MANY_STREAMS', alsoRefused: 49, message: 'pod full' },
    ]);
  });
});
