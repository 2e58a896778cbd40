import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import { defineAggregate } from '../../aggregate/index.js';
import type { ApiContext } from '../apiContext.js';
import { type ApiRoute, defineRoute, json } from '../route.js';
import { resourceRoutes } from './resourceRoutes.js';

const machine = setup({ types: { events: {} as { type: 'CommandFiled' } } }).createMachine({
  initial: 'none',
  states: { none: { on: { CommandFiled: 'filed' } }, filed: {} },
});
const aggregate = (type: string, plural?: string) =>
  defineAggregate({
    type,
    machine,
    commands: {
      FileCommand: { schema: z.strictObject({}), decide: () => [{ type: 'CommandFiled' as const }] },
    },
    ...(plural ? { resource: { plural } } : {}),
  });
const route = (url: string): ApiRoute =>
  defineRoute({
    method: 'GET',
    url,
    access: 'read',
    tag: 'tests',
    summary: url,
    responses: {},
    handler: async () => json(200, {}),
  });
const builtIn = [route('/v1/commands/:commandId')];
const context = (aggregates: ApiContext['aggregates'], readModels: string[] = []) =>
  ({
    aggregates,
    readModels: readModels.map((path) => ({ path })),
    settings: { commandWait: { defaultMs: 1_000, maxMs: 2_000 } },
  }) as unknown as ApiContext;

describe('resource routes', () => {
  it('given an aggregate, then its read, create and command routes', () => {
    const urls = resourceRoutes(context([aggregate('filing')]), builtIn).map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(['GET /v1/filings/:id', 'POST /v1/filings', 'POST /v1/filings/:id/file-command']);
  });

  it("given a plural another route's path has, then CONFIGURATION naming resource.plural", () => {
    expect(() => resourceRoutes(context([aggregate('command')]), builtIn)).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION', message: expect.stringContaining('resource.plural') }),
    );
    expect(() => resourceRoutes(context([aggregate('a', 'xs'), aggregate('b', 'xs')]), builtIn)).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION' }),
    );
  });

  it("given a read model's path, then the plural may share it", () => {
    const withList = [...builtIn, route('/v1/filings'), route('/v1/filings/totals')];
    expect(
      resourceRoutes(context([aggregate('filing')], ['filings', 'filings/totals']), withList),
    ).toHaveLength(3);
  });
});
