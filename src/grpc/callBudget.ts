import type { ApiContext, Principal } from '../http/index.js';
import { HttpError } from '../http/index.js';

/**
 * One call spent from a caller's budget, in the counter the HTTP rate limiter keeps for it
 * (`<prefix>:rate-limit:<principal or ip:address>`, a fixed window that starts with its first
 * call), so HTTP and gRPC share one budget per caller across every api pod.
 */
const SPEND = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {current, redis.call('PTTL', KEYS[1])}`;

/** `ip:<address>` of a peer as grpc-js names it (`127.0.0.1:5000`, `[::1]:5000`). */
export const peerKey = (peer: string): string =>
  `ip:${peer.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1')}`;

/** Spends one call of `caller`'s budget (a principal, or a refused caller's address); 429 RATE_LIMITED past it. */
export const spendCall = async (ctx: ApiContext, caller: Principal | { readonly peer: string }) => {
  const { max: defaultMax, windowMs } = ctx.settings.rateLimit;
  const [key, max] =
    'peer' in caller ? [peerKey(caller.peer), defaultMax] : [caller.id, caller.rateLimit ?? defaultMax];
  const [count, ttlMs] = (await ctx.redis.eval(
    SPEND,
    1,
    `${ctx.config.queuePrefix}:rate-limit:${key}`,
    windowMs,
  )) as [number, number];
  if (count <= max) return;
  const retryS = Math.max(1, Math.ceil(ttlMs / 1000));
  throw new HttpError(
    429,
    'RATE_LIMITED',
    `rate limit of ${max} requests per ${windowMs / 1000} s reached; retry in ${retryS} s`,
    undefined,
    { 'retry-after': String(retryS) },
  );
};
