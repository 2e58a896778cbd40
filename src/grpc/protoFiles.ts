import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

/**
 * The package's .proto files: `proto/` at the root, next to `src/` from source and copied to
 * `dist/proto` by the build, so `../../proto` from this folder finds them either way.
 */
export const PROTO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../proto');

export const CHRONICLE_PROTO = 'chronicle/v1/chronicle.proto';
export const CHRONICLE_SERVICE = 'chronicle.v1.ChronicleService';

/** camelCase fields; 64-bit integers as numbers (positions are safe integers); absent fields as defaults. */
export const protoLoaderOptions: Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

export type ProtoPackages = {
  readonly chronicle: PackageDefinition;
  readonly health: PackageDefinition;
};

/** The Chronicle service and the standard health service, as loaded (once per server). */
export const loadProtoPackages = (): ProtoPackages => ({
  chronicle: loadSync(CHRONICLE_PROTO, protoLoaderOptions),
  health: loadSync(healthProtoPath, protoLoaderOptions),
});
