/**
 * The pod kinds, each a `service.name` in traces and metrics (`chronicle-dev`: all of them in one
 * process), and `chronicle-client` for a process that only sends commands (a script, a test); a
 * service of your own sets OTEL_SERVICE_NAME.
 */
export const chronicleServiceNames = [
  'chronicle-api',
  'chronicle-client',
  'chronicle-command-worker',
  'chronicle-dev',
  'chronicle-nats-worker',
  'chronicle-process-manager-worker',
  'chronicle-projection-worker',
  'chronicle-snapshot-worker',
] as const;

export type ChronicleServiceName = (typeof chronicleServiceNames)[number];

/** `OTEL_SERVICE_NAME`, when set and not blank, overrides the pod kind's name (standard OTel behaviour). */
export const resolveServiceName = (serviceName: ChronicleServiceName): string =>
  process.env.OTEL_SERVICE_NAME?.trim() || serviceName;
