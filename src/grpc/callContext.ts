import type { Metadata } from '@grpc/grpc-js';
import { type Context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { type Access, type Authenticator, authorize, type Principal } from '../http/index.js';

/** The first value of a metadata key, as a header would carry it. */
const first = (metadata: Metadata, key: string): string | undefined => {
  const [value] = metadata.get(key);
  return typeof value === 'string' ? value : undefined;
};

/**
 * The caller, by the same credentials as over HTTP (metadata `x-api-key`, or `authorization:
 * Bearer <jwt>`) and the same verification; refused as HTTP refuses (UNAUTHENTICATED,
 * INVALID_CREDENTIALS, FORBIDDEN), which the status table maps.
 */
export const callerOf = async (
  authenticator: Authenticator,
  metadata: Metadata,
  access: Exclude<Access, 'public'>,
): Promise<Principal> => {
  const apiKey = first(metadata, 'x-api-key');
  const authorization = first(metadata, 'authorization');
  const state = await authenticator.authenticate({
    ...(apiKey !== undefined ? { 'x-api-key': apiKey } : {}),
    ...(authorization !== undefined ? { authorization } : {}),
  });
  return authorize(state, access);
};

/** The caller's W3C trace context (metadata `traceparent`, `tracestate`), so a command continues its trace. */
export const callerTraceContext = (metadata: Metadata): Context => {
  const traceparent = first(metadata, 'traceparent');
  const tracestate = first(metadata, 'tracestate');
  return propagation.extract(ROOT_CONTEXT, {
    ...(traceparent ? { traceparent } : {}),
    ...(tracestate ? { tracestate } : {}),
  });
};
