import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type Client,
  type ClientReadableStream,
  credentials,
  type GrpcObject,
  loadPackageDefinition,
  Metadata,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { CHRONICLE_PROTO, PROTO_ROOT } from '../../src/grpc/index.js';

/** As a client in another service would load them: from the package's proto/ folder. */
const options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true };

const require = createRequire(import.meta.url);
const reflectionProto = join(
  dirname(require.resolve('@grpc/reflection/package.json')),
  'build/proto/grpc/reflection/v1/reflection.proto',
);

const serviceAt = (definition: PackageDefinition, path: string): ServiceClientConstructor => {
  let node: unknown = loadPackageDefinition(definition);
  for (const part of path.split('.')) node = (node as GrpcObject)[part];
  return node as ServiceClientConstructor;
};

type UnaryCall = (
  request: object,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: Record<string, unknown>) => void,
) => void;

type StreamCall = (request: object, metadata: Metadata) => ClientReadableStream<Record<string, unknown>>;

export type Unary = (request: object, metadata?: Metadata) => Promise<Record<string, unknown>>;

/** A unary method of `client` as a promise. */
export const promised =
  (client: Client, method: string): Unary =>
  (request, metadata = new Metadata()) =>
    new Promise((resolve, reject) => {
      const call = (client as unknown as Record<string, UnaryCall>)[method] as UnaryCall;
      call.call(client, request, metadata, (error, response) => (error ? reject(error) : resolve(response)));
    });

export const withKey = (key: string): Metadata => {
  const metadata = new Metadata();
  metadata.set('x-api-key', key);
  return metadata;
};

/** A client of chronicle.v1.ChronicleService built from the shipped .proto, plus health and reflection. */
export const connect = (address: string) => {
  const chronicle = new (serviceAt(
    loadSync(CHRONICLE_PROTO, { ...options, includeDirs: [PROTO_ROOT] }),
    'chronicle.v1.ChronicleService',
  ))(address, credentials.createInsecure());
  const health = new (serviceAt(loadSync(healthProtoPath, options), 'grpc.health.v1.Health'))(
    address,
    credentials.createInsecure(),
  );
  const reflection = new (serviceAt(
    loadSync(reflectionProto, options),
    'grpc.reflection.v1.ServerReflection',
  ))(address, credentials.createInsecure());
  return {
    chronicle,
    send: promised(chronicle, 'Send'),
    getAggregate: promised(chronicle, 'GetAggregate'),
    readStream: promised(chronicle, 'ReadStream'),
    getCorrelation: promised(chronicle, 'GetCorrelation'),
    subscribe: (request: object, metadata: Metadata): ClientReadableStream<Record<string, unknown>> =>
      ((chronicle as unknown as Record<string, StreamCall>).Subscribe as StreamCall).call(
        chronicle,
        request,
        metadata,
      ),
    healthCheck: promised(health, 'Check'),
    reflection,
    close: () => {
      chronicle.close();
      health.close();
      reflection.close();
    },
  };
};

export type GrpcClient = ReturnType<typeof connect>;

/** The error a call failed with: its status code, details and Chronicle's code. */
export const failure = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    const { code, details, metadata } = error as ServiceError;
    return { code, details, chronicleCode: metadata?.get('chronicle-code')[0] };
  }
  throw new Error('the call succeeded');
};
