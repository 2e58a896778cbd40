import type { DevStoryTeller } from 'chronicle-runtime';

const customers = ['acme', 'globex', 'initech', 'umbrella'] as const;
const agents = ['ada', 'grace', 'linus'] as const;
const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;

/**
 * What `npm run dev -- --traffic 5` plays: tickets opened, most assigned and resolved, some left
 * open, and a few resolved too early (rejected: nobody was assigned).
 */
export const ticketStories: DevStoryTeller = (ticketId, random) => {
  const roll = random();
  const on = (type: string, payload: object) => ({
    aggregateType: 'ticket',
    aggregateId: ticketId,
    type,
    payload,
  });
  const open = on('OpenTicket', {
    title: `Cannot log in (${ticketId.slice(-6)})`,
    customer: pick(customers, random),
    priority: pick(['low', 'normal', 'high'] as const, random),
  });
  if (roll < 0.1)
    return { outcome: 'rejected', steps: [open, on('ResolveTicket', { resolution: 'too early' })] };
  if (roll < 0.3)
    return { outcome: 'open', steps: [open, on('AssignTicket', { agent: pick(agents, random) })] };
  return {
    outcome: 'resolved',
    steps: [
      open,
      on('AssignTicket', { agent: pick(agents, random) }),
      on('ResolveTicket', { resolution: 'password reset' }),
    ],
  };
};
