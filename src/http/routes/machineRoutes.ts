import { z } from 'zod';
import type { Aggregate } from '../../aggregate/index.js';
import { describeMachine, mermaidIds, toMermaid } from '../../machines/index.js';
import type { ApiContext } from '../apiContext.js';
import { notFound } from '../httpError.js';
import { type ApiRoute, defineRoute, json } from '../route.js';
import { AggregateType } from './schemas.js';

/** A machine as JSON and as Mermaid, plus the map from state paths to the Mermaid node ids. */
export const machineView = (aggregate: Aggregate) => {
  const description = describeMachine(aggregate);
  return {
    ...description,
    commands: Object.keys(aggregate.commands),
    mermaid: toMermaid(description),
    mermaidIds: mermaidIds(description),
  };
};

export const machineRoutes = (ctx: ApiContext): ApiRoute[] => {
  // machines do not change while the pod runs: describe each once
  const views = new Map(ctx.aggregates.map((aggregate) => [aggregate.type, machineView(aggregate)]));
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/machines',
      access: 'read',
      tag: 'machines',
      summary: "Every aggregate's machine: states, transitions, Mermaid stateDiagram text",
      responses: { 200: '{ machines: [...] }' },
      handler: async () => json(200, { machines: [...views.values()] }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/machines/:type',
      access: 'read',
      tag: 'machines',
      summary: "One aggregate type's machine",
      params: z.strictObject({ type: AggregateType }),
      responses: { 200: 'the machine', 404: 'no such aggregate type' },
      handler: async ({ params }) => {
        const view = views.get(params.type);
        if (!view) throw notFound(`no aggregate type "${params.type}"`);
        return json(200, view);
      },
    }),
  ];
};
