import type { Metadata } from '@grpc/grpc-js';
import { type Context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { type Access, authorize, type Principal } from '../http/index.js';
import { spendCall } from './callBudget.js';
import type { ServiceDeps } from './serviceDeps.js';

/** The first value of a metadata key, as a header would carry it. */
const first = (metadata: Metadata, key: string): string | undefined => {
  const [value] = metadata.get(key);
  return typeof value === 'string' ? value : undefined;
};

/**
 * The caller, by the same credentials as over HTTP (metadata `x-api-key`, or `authorization:
 * Bearer <jwt>`), the same verification and the same rate-limit budget; refused as HTTP refuses
 * (UNAUTHENTICATED, INVALID_CREDENTIALS, FORBIDDEN, RATE_LIMITED), which the status table maps.
 */
export const callerOf = async (
  deps: ServiceDeps,
  call: { readonly metadata: Metadata; getPeer(): string },
  access: Exclude<Access, 'public'>,
): Promise<Principal> => {
  const { metadata } = call;
  const apiKey = first(metadata, 'x-api-key');
  const authorization = first(metadata, 'authorization');
  const state = await deps.authenticator.authenticate({
    ...(apiKey !== undefined ? { 'x-api-key': apiKey } : {}),
    ...(authorization !== undefined ? { authorization } : {}),
  });
  // counted before access is checked, as HTTP counts: refused callers by address, so guessing keys is limited too
  await spendCall(deps.ctx, state.status === 'authenticated' ? state.principal : { peer: call.getPeer() });
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
