import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { LoggerPort } from '../logging/index.js';
import { createConnectionErrorReporter, redisLabel } from './connectionErrorReporter.js';

const recordingLogger = () => {
  const lines: string[] = [];
  const logger: LoggerPort = {
    warn: (_fields, message) => lines.push(`warn ${message}`),
    info: (_fields, message) => lines.push(`info ${message}`),
    error: (_fields, message) => lines.push(`error ${message}`),
  };
  return { lines, logger };
};

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

describe('connection error reporter', () => {
  it('logs one line per outage, however many emitters and attempts, and one when it is over', () => {
    const { lines, logger } = recordingLogger();
    const reporter = createConnectionErrorReporter(logger, 'client: Redis at 127.0.0.1:6379');
    const [a, b] = [reporter.watch(new EventEmitter()), reporter.watch(new EventEmitter())];
    for (let attempt = 0; attempt < 5; attempt++) {
      a.emit('error', refused());
      b.emit('error', refused());
    }
    reporter.recovered();
    reporter.recovered();
    a.emit('error', refused());
    expect(lines).toEqual([
      'warn client: Redis at 127.0.0.1:6379: connect ECONNREFUSED 127.0.0.1:6379',
      'info client: Redis at 127.0.0.1:6379: connected again',
      'warn client: Redis at 127.0.0.1:6379: connect ECONNREFUSED 127.0.0.1:6379',
    ]);
  });

  it('keeps to one line while the messages of the outage alternate (refused, closed, reset)', () => {
    const { lines, logger } = recordingLogger();
    const reporter = createConnectionErrorReporter(logger, 'worker: Redis at 127.0.0.1:6379');
    const emitter = reporter.watch(new EventEmitter());
    for (let attempt = 0; attempt < 5; attempt++) {
      emitter.emit('error', refused());
      emitter.emit('error', new Error('Connection is closed.'));
      emitter.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    }
    reporter.recovered();
    expect(lines).toEqual([
      'warn worker: Redis at 127.0.0.1:6379: connect ECONNREFUSED 127.0.0.1:6379',
      'info worker: Redis at 127.0.0.1:6379: connected again',
    ]);
  });

  it('logs an error that is no outage as an error, once per message, even during an outage', () => {
    const { lines, logger } = recordingLogger();
    const reporter = createConnectionErrorReporter(logger, 'worker: Redis at 127.0.0.1:6379');
    const emitter = reporter.watch(new EventEmitter());
    emitter.emit('error', refused());
    emitter.emit('error', new Error('Missing lock for job 7. moveToFinished'));
    emitter.emit('error', new Error('Missing lock for job 7. moveToFinished'));
    expect(lines).toEqual([
      'warn worker: Redis at 127.0.0.1:6379: connect ECONNREFUSED 127.0.0.1:6379',
      'error worker: Redis at 127.0.0.1:6379: Missing lock for job 7. moveToFinished',
    ]);
  });

  it("takes errors caught in a retry loop, with the first one's fields, under the service named", () => {
    const fields: object[] = [];
    const { lines, logger } = recordingLogger();
    const reporter = createConnectionErrorReporter(
      {
        ...logger,
        warn: (object, message) => {
          fields.push(object);
          logger.warn(object, message);
        },
      },
      'subscription worker',
      'outage',
    );
    for (let partition = 0; partition < 4; partition++) reporter.report(refused(), { partition });
    reporter.recovered();
    expect(lines).toEqual([
      'warn subscription worker: connect ECONNREFUSED 127.0.0.1:6379',
      'info subscription worker: connected again',
    ]);
    expect(fields).toEqual([
      { partition: 0, outage: { error: 'connect ECONNREFUSED 127.0.0.1:6379', code: 'ECONNREFUSED' } },
    ]);
  });

  it('names Redis by host and port, never by a URL that may hold its password', () => {
    expect(redisLabel({ redisUrl: 'redis://:s3cret@redis.internal:6380/0' })).toBe(
      'Redis at redis.internal:6380',
    );
  });
});
