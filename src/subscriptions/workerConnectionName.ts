/**
 * The application_name a subscription worker's connections carry (PostgreSQL keeps 63 bytes). The
 * heartbeat records it, so `projections status` sees a worker die the moment its connections drop
 * (a SIGKILLed pod), instead of only once its leases expire.
 */
export const workerConnectionName = (workerId: string): string => `chronicle:${workerId}`.slice(0, 63);

export const withApplicationName = (databaseUrl: string, name: string): string => {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', name);
  return url.toString();
};
