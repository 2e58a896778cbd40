import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { wantsColors } from '../config/index.js';
import { createLogger } from './createLogger.js';
import { createPrettyLogStream, formatLogLine } from './prettyLogStream.js';

const json = (record: Record<string, unknown>) => `${JSON.stringify(record)}\n`;
const time = '2026-11-29T05:50:01.234Z';

describe('the pretty log format', () => {
  it('writes time, level, name, message, the other fields and the trace id on one line', () => {
    const line = formatLogLine(
      json({
        level: 'info',
        time,
        pid: 1,
        hostname: 'h',
        name: 'command',
        msg: 'command accepted',
        commandType: 'PlaceOrder',
        version: 3,
        trace_id: 'abc',
        span_id: 'def',
      }),
      false,
    );
    expect(line).toBe(
      '05:50:01.234 INFO  command command accepted commandType=PlaceOrder version=3 trace=abc\n',
    );
  });

  it('quotes values with spaces and prints objects as JSON', () => {
    const line = formatLogLine(
      json({ level: 'warn', time, msg: 'm', reason: 'two words', ids: [1, 2] }),
      false,
    );
    expect(line).toBe('05:50:01.234 WARN  m reason="two words" ids=[1,2]\n');
  });

  it('puts an error on the line, and its stack below only at error and fatal', () => {
    const err = { type: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at f (x.ts:1:1)' };
    const warned = formatLogLine(json({ level: 'warn', time, msg: 'retrying', err }), false);
    expect(warned).toBe('05:50:01.234 WARN  retrying TypeError: boom\n');
    const failed = formatLogLine(json({ level: 'error', time, msg: 'failed', err }), false);
    expect(failed).toBe('05:50:01.234 ERROR failed TypeError: boom\n    at f (x.ts:1:1)\n');
  });

  it('colours the level when asked, and passes a line that is not JSON through', () => {
    expect(formatLogLine(json({ level: 'error', time, msg: 'x' }), true)).toContain(
      '\u001b[31mERROR\u001b[0m',
    );
    expect(formatLogLine('plain text', true)).toBe('plain text\n');
  });

  it('colours a terminal unless NO_COLOR; FORCE_COLOR colours anything', () => {
    expect(wantsColors({ isTTY: true }, {})).toBe(true);
    expect(wantsColors({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColors({ isTTY: false }, {})).toBe(false);
    expect(wantsColors({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('is a pino destination: a logger writes through it', () => {
    let written = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    createLogger('api', { destination: createPrettyLogStream(out, false), level: 'info' }).info(
      { port: 3000 },
      'ready',
    );
    expect(written).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}api ready port=3000\n$/);
  });
});
