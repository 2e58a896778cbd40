import { z } from 'zod';
import type { Aggregate } from '../../aggregate/index.js';
import { describeMachine, mermaidIds, toMermaid } from '../../machines/index.js';
import type { ProcessManager } from '../../processManagers/index.js';
import type { ApiContext } from '../apiContext.js';
import { notFound } from '../httpError.js';
import { type ApiRoute, defineRoute, json } from '../route.js';
import { AggregateType } from './schemas.js';

/**
 * A machine as JSON and as Mermaid, plus the map from state paths to the Mermaid node ids; an
 * aggregate's with its commands, a process manager's with the event types it correlates.
 */
export const machineView = (owner: Aggregate | ProcessManager) => {
  const description = describeMachine(owner);
  return {
    ...description,
    ...('kind' in owner
      ? { correlates: Object.keys(owner.correlate) }
      : { commands: Object.keys(owner.commands) }),
    mermaid: toMermaid(description),
    mermaidIds: mermaidIds(description),
  };
};

export const machineRoutes = (ctx: ApiContext): ApiRoute[] => {
  // machines do not change while the pod runs: describe each once
  const views = new Map(
    [...ctx.aggregates, ...ctx.processManagers].map((owner) => {
      const view = machineView(owner);
      return [view.aggregateType, view];
    }),
  );
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/machines',
      access: 'read',
      tag: 'machines',
      summary:
        "Every aggregate's and process manager's machine: kind, states, transitions, Mermaid stateDiagram text",
      responses: { 200: '{ machines: [...] }: the aggregates first' },
      handler: async () => json(200, { machines: [...views.values()] }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/machines/:type',
      access: 'read',
      tag: 'machines',
      summary: "One aggregate type's or process manager's machine",
      params: z.strictObject({ type: AggregateType }),
      responses: { 200: 'the machine', 404: 'no such aggregate type or process manager' },
      handler: async ({ params }) => {
        const view = views.get(params.type);
        if (!view) throw notFound(`no aggregate type or process manager "${params.type}"`);
        return json(200, view);
      },
    }),
  ];
};
