/** The logging a subscription host needs; pino loggers fit. */
export type SubscriptionLogger = {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
};

export const silentLogger: SubscriptionLogger = { info() {}, warn() {}, error() {} };
