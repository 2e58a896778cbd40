import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OtlpSink = {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT (exporters append /v1/traces). */
  readonly endpoint: string;
  /** Export requests and body bytes received so far. */
  received(): { readonly requests: number; readonly bytes: number };
  close(): Promise<void>;
};

/**
 * The cheapest OTLP/HTTP trace endpoint: reads each export, answers 200 with an empty response and
 * keeps only counts. Nothing is decoded, so it takes as little CPU as possible from the process
 * being measured (the machine has two cores).
 */
export const startOtlpSink = async (): Promise<OtlpSink> => {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      requests++;
      const json = String(req.headers['content-type']).startsWith('application/json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => ({ requests, bytes }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
