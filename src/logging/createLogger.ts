import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { type LogLevel, logFormatFromEnv, logLevelFromEnv } from '../config/index.js';
import { createPrettyLogStream } from './prettyLogStream.js';
import { getCorrelationId } from './withCorrelationBaggage.js';

export type { Logger } from 'pino';

export type LoggerConfig = {
  /** Default: LOG_LEVEL, else `info`. */
  readonly level?: LogLevel;
  /** Where lines go; default: stdout. Tests pass a stream to read the lines back. */
  readonly destination?: DestinationStream;
};

/** Trace ids of the active span and the correlation id of the active baggage, on every line. */
const traceMixin = (): Record<string, string> => {
  const active = context.active();
  const fields: Record<string, string> = {};
  const spanContext = trace.getSpanContext(active);
  if (spanContext && isSpanContextValid(spanContext)) {
    fields.trace_id = spanContext.traceId;
    fields.span_id = spanContext.spanId;
  }
  const correlationId = getCorrelationId(active);
  if (correlationId !== undefined) fields.correlation_id = correlationId;
  return fields;
};

const options = (level: LogLevel): LoggerOptions => ({
  level,
  mixin: traceMixin,
  formatters: { level: (label) => ({ level: label }) },
  timestamp: pino.stdTimeFunctions.isoTime,
});

let root: Logger | undefined;

/**
 * A pino logger named `name` writing JSON lines; each line carries `trace_id` and `span_id` of the
 * active span and `correlation_id` from the active baggage, when there are any. Loggers without a
 * config share one root logger (one stdout stream, level from LOG_LEVEL, format from LOG_FORMAT).
 *
 * @example
 * const log = createLogger('command-worker');
 * log.info({ commandId }, 'command accepted');
 */
export const createLogger = (name: string, config: LoggerConfig = {}): Logger => {
  if (config.level === undefined && config.destination === undefined) {
    root ??=
      logFormatFromEnv() === 'pretty'
        ? pino(options(logLevelFromEnv()), createPrettyLogStream())
        : pino(options(logLevelFromEnv()));
    return root.child({ name });
  }
  const level = config.level ?? logLevelFromEnv();
  const logger = config.destination ? pino(options(level), config.destination) : pino(options(level));
  return logger.child({ name });
};
