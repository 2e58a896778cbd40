export * from './createGrpcServer.js';
export { grpcStatusByCode } from './grpcStatus.js';
export { CHRONICLE_PROTO, CHRONICLE_SERVICE, PROTO_ROOT } from './protoFiles.js';
