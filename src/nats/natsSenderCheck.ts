import type { NatsSender } from '../config/index.js';
import { canSend, type Principal } from '../http/auth/principal.js';
import type { RejectedResult } from '../messages/index.js';

/** Who sent a command over NATS, or why it is refused (as HTTP's 401 and 403, by code). */
export type SenderCheck = { readonly status: 'allowed'; readonly principal: Principal } | RejectedResult;

const refused = (code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string): RejectedResult => ({
  status: 'rejected',
  commandId: '',
  code,
  message,
});

/**
 * The principals of the NATS users the pod takes commands from (`nats:<user>` with its roles), and
 * the check a command passes: its subject's sender must be one of them, with a role that may send
 * to the aggregate type (`canSend`, as over HTTP). The subject proves the sender only because the
 * server lets each user publish on its own command subjects alone (deploy/nats/nats-server.conf).
 */
export const natsSenderCheck = (senders: readonly NatsSender[]) => {
  const principals = new Map<string, Principal>(
    senders.map(({ user, roles }) => [user, { id: `nats:${user}`, via: 'nats', roles }]),
  );
  return (sender: string, aggregateType: string): SenderCheck => {
    const principal = principals.get(sender);
    if (!principal)
      return refused(
        'UNAUTHENTICATED',
        `NATS user "${sender.slice(0, 64)}" is not a sender of this deployment`,
      );
    if (!canSend(principal, aggregateType))
      return refused('FORBIDDEN', `${principal.id} may not send commands to "${aggregateType}"`);
    return { status: 'allowed', principal };
  };
};
