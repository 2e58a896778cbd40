import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { logLevelFromEnv } from '../config/index.js';
import { createLogger } from './createLogger.js';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
};

describe('createLogger', () => {
  const original = process.env.LOG_LEVEL;
  afterEach(() => {
    if (original === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = original;
  });

  it('writes JSON lines with the logger name, a level label and an ISO time', () => {
    const { lines, destination } = capture();
    createLogger('unit', { destination, level: 'info' }).info({ commandId: 'c1' }, 'hello');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: 'unit', level: 'info', msg: 'hello', commandId: 'c1' });
    expect(new Date(String(lines[0]?.time)).toISOString()).toBe(lines[0]?.time);
  });

  it('adds no trace fields outside a span', () => {
    const { lines, destination } = capture();
    createLogger('unit', { destination, level: 'info' }).info('no span');
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0]).not.toHaveProperty('correlation_id');
  });

  it('honours LOG_LEVEL (case-insensitive) and refuses an unknown level', () => {
    process.env.LOG_LEVEL = 'WARN';
    expect(logLevelFromEnv()).toBe('warn');
    const { lines, destination } = capture();
    const log = createLogger('unit', { destination });
    log.info('dropped');
    log.warn('kept');
    expect(lines.map((line) => line.msg)).toEqual(['kept']);
    process.env.LOG_LEVEL = 'verbose';
    expect(() => logLevelFromEnv()).toThrow(/LOG_LEVEL/);
    delete process.env.LOG_LEVEL;
    expect(logLevelFromEnv()).toBe('info');
  });
});
