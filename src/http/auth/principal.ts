/**
 * Roles: `read` (every read route), `commands:send` (send commands to any aggregate type),
 * `commands:send:<type>` (only to that type), `admin` (everything, including rebuilds and
 * dead-letter retries).
 */
export type Role = 'read' | 'admin' | 'commands:send' | `commands:send:${string}`;

/** Who is calling: from an API key, a verified JWT, or a NATS user (CHRONICLE_NATS_SENDERS). */
export type Principal = {
  /** `key:<name>`, `jwt:<sub>` or `nats:<user>`: the rate-limit key and the commands' `issuedBy`. */
  readonly id: string;
  readonly via: 'api-key' | 'jwt' | 'nats';
  readonly roles: readonly string[];
  /** Requests per rate-limit window for this principal, when its key sets one. */
  readonly rateLimit?: number;
};

/** What a route needs of its caller. */
export type Access = 'public' | 'authenticated' | 'read' | 'send' | 'read-or-send' | 'admin';

const SEND = 'commands:send';

/** Whether the principal may send commands to `aggregateType` (to some type, when none is given). */
export const canSend = (principal: Principal, aggregateType?: string): boolean =>
  principal.roles.some(
    (role) =>
      role === 'admin' ||
      role === SEND ||
      (role.startsWith(`${SEND}:`) && (aggregateType === undefined || role === `${SEND}:${aggregateType}`)),
  );

export const canRead = (principal: Principal): boolean =>
  principal.roles.includes('read') || principal.roles.includes('admin');

export const isAdmin = (principal: Principal): boolean => principal.roles.includes('admin');

/** Whether `principal` passes `access`; `send` is checked again per aggregate type by the command route. */
export const allows = (access: Access, principal: Principal): boolean => {
  switch (access) {
    case 'public':
    case 'authenticated':
      return true;
    case 'read':
      return canRead(principal);
    case 'send':
      return canSend(principal);
    case 'read-or-send':
      return canRead(principal) || canSend(principal);
    case 'admin':
      return isAdmin(principal);
    default:
      return access satisfies never;
  }
};
