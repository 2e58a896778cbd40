import { hostFromEnv } from './podSettings.js';
import { portSetting } from './settingValues.js';

/** The api pod's gRPC service: off, or on a port of HOST. */
export type GrpcSettings =
  | { readonly status: 'off' }
  | {
      readonly status: 'on';
      /** GRPC_PORT (0 = any free port). */
      readonly port: number;
      /** HOST, as the HTTP API. */
      readonly host: string;
    };

/**
 * GRPC_PORT: the api pod serves `chronicle.v1.ChronicleService` there (docs/grpc.md); unset or
 * empty, it serves no gRPC. Off by default: a port nobody asked for is a door nobody watches.
 */
export const grpcSettingsFromEnv = (env: NodeJS.ProcessEnv = process.env): GrpcSettings =>
  env.GRPC_PORT?.trim()
    ? { status: 'on', port: portSetting('GRPC_PORT', env.GRPC_PORT, 0), host: hostFromEnv(env) }
    : { status: 'off' };
