import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

/**
 * A small OTLP/HTTP trace receiver for tests, on 127.0.0.1 and a free port. Accepts
 * `POST /v1/traces` in both OTLP/HTTP encodings: `application/json` and `application/x-protobuf`
 * (decoded with protobufjs from the subset of the OTLP trace schema below), gzip or not.
 */

export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | readonly AttributeValue[]
  | Record<string, unknown>;

export type ReceivedSpan = {
  readonly traceId: string;
  readonly spanId: string;
  /** Absent on a root span. */
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly serviceName?: string;
  readonly scope?: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Links to other spans (a batch consumer's link to each message's context). */
  readonly links: readonly ReceivedLink[];
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
};

export type ReceivedLink = {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
};

export type ReceivedRequest = { readonly contentType: 'json' | 'protobuf'; readonly spanCount: number };

export type OtlpReceiver = {
  /** Base URL, for OTEL_EXPORTER_OTLP_ENDPOINT (exporters append /v1/traces). */
  readonly endpoint: string;
  readonly spans: readonly ReceivedSpan[];
  readonly requests: readonly ReceivedRequest[];
  /** Resolves with all spans once `predicate` holds for them; rejects after `timeoutMs`. */
  waitForSpans(
    predicate: (spans: readonly ReceivedSpan[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
};

const otlpTraceSchema = `
syntax = "proto3";
package otlp;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message InstrumentationScope { string name = 1; string version = 2; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; repeated Link links = 13; Status status = 15;
}
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; }
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
`;

const requestType = protobuf.parse(otlpTraceSchema).root.lookupType('otlp.ExportTraceServiceRequest');

// The shape shared by OTLP/JSON and protobufjs' camel-cased objects; ids are hex strings in JSON and bytes in protobuf.
type Id = string | Uint8Array | undefined;
type OtlpAnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string | Uint8Array;
};
type OtlpKeyValue = { key: string; value?: OtlpAnyValue };
type OtlpSpan = {
  traceId?: Id;
  spanId?: Id;
  parentSpanId?: Id;
  name?: string;
  kind?: number;
  attributes?: OtlpKeyValue[];
  links?: { traceId?: Id; spanId?: Id; attributes?: OtlpKeyValue[] }[];
  status?: { code?: number };
};
type OtlpRequest = {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
  }[];
};

const hex = (id: Id): string => (typeof id === 'string' ? id : id ? Buffer.from(id).toString('hex') : '');

const toValue = (value: OtlpAnyValue | undefined): AttributeValue => {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(toValue);
  if (value.kvlistValue !== undefined) return toAttributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return hex(value.bytesValue);
  return null;
};

const toAttributes = (keyValues: OtlpKeyValue[] | undefined): Record<string, AttributeValue> =>
  Object.fromEntries((keyValues ?? []).map((kv) => [kv.key, toValue(kv.value)]));

const toSpans = (request: OtlpRequest): ReceivedSpan[] =>
  (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const serviceName = toAttributes(resourceSpans.resource?.attributes)['service.name'];
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) =>
      (scopeSpans.spans ?? []).map((span): ReceivedSpan => {
        const parentSpanId = hex(span.parentSpanId);
        return {
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          ...(parentSpanId ? { parentSpanId } : {}),
          name: span.name ?? '',
          kind: span.kind ?? 0,
          ...(typeof serviceName === 'string' ? { serviceName } : {}),
          ...(scopeSpans.scope?.name ? { scope: scopeSpans.scope.name } : {}),
          attributes: toAttributes(span.attributes),
          links: (span.links ?? []).map((link) => ({
            traceId: hex(link.traceId),
            spanId: hex(link.spanId),
            attributes: toAttributes(link.attributes),
          })),
          statusCode: span.status?.code ?? 0,
        };
      }),
    );
  });

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
};

const decode = (
  contentType: string,
  body: Buffer,
): { kind: ReceivedRequest['contentType']; request: OtlpRequest } => {
  if (contentType.startsWith('application/json')) {
    return { kind: 'json', request: JSON.parse(body.toString('utf8')) as OtlpRequest };
  }
  if (contentType.startsWith('application/x-protobuf')) {
    const message = requestType.decode(body);
    return { kind: 'protobuf', request: requestType.toObject(message, { longs: String }) as OtlpRequest };
  }
  throw new Error(`unsupported content-type "${contentType}"`);
};

/** Starts the receiver; point a process at it with OTEL_EXPORTER_OTLP_ENDPOINT = `receiver.endpoint`. */
export const startOtlpReceiver = async (): Promise<OtlpReceiver> => {
  const spans: ReceivedSpan[] = [];
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      res.writeHead(404).end();
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    const { kind, request } = decode(contentType, await readBody(req));
    const received = toSpans(request);
    spans.push(...received);
    requests.push({ contentType: kind, spanCount: received.length });
    for (const wake of waiters) wake();
    // An empty ExportTraceServiceResponse: `{}` in JSON, zero bytes in protobuf.
    res.writeHead(200, { 'content-type': kind === 'json' ? 'application/json' : 'application/x-protobuf' });
    res.end(kind === 'json' ? '{}' : undefined);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    requests,
    waitForSpans: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(spans)) return;
          cleanup();
          resolve([...spans]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`OTLP receiver: condition not met within ${timeoutMs} ms; got ${spans.length} spans`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
