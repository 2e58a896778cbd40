/**
 * The logging the runtime's engines need (workers, hosts, pods): pino loggers fit, and so does
 * anything with these three methods. One port for every engine; `createLogger` makes the real one.
 */
export type LoggerPort = {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
};

export const silentLogger: LoggerPort = { info() {}, warn() {}, error() {} };
