import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { notFound } from '../httpError.js';
import { type ApiRoute, defineRoute, type RouteResult } from '../route.js';

/**
 * The page may load only what this server serves: no request leaves for another host. Mermaid
 * styles its SVG inline, hence `'unsafe-inline'` for styles only.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** src/http/ui beside this module; from a build in dist/, the sources' copy when the build did not copy it. */
const uiDirectory = (): string => {
  const beside = fileURLToPath(new URL('../ui/', import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../../src/http/ui/', import.meta.url));
};

type Asset = { readonly file: () => string; readonly type: string };

// a Map, not an object: a name such as "constructor" or "__proto__" must find nothing, not the prototype
const assets: ReadonlyMap<string, Asset> = new Map(
  Object.entries({
    'index.html': { file: () => `${uiDirectory()}index.html`, type: 'text/html; charset=utf-8' },
    'app.js': { file: () => `${uiDirectory()}app.js`, type: 'text/javascript; charset=utf-8' },
    'api.js': { file: () => `${uiDirectory()}api.js`, type: 'text/javascript; charset=utf-8' },
    'clusterView.js': {
      file: () => `${uiDirectory()}clusterView.js`,
      type: 'text/javascript; charset=utf-8',
    },
    'recentView.js': { file: () => `${uiDirectory()}recentView.js`, type: 'text/javascript; charset=utf-8' },
    'whatIfView.js': { file: () => `${uiDirectory()}whatIfView.js`, type: 'text/javascript; charset=utf-8' },
    'storyView.js': { file: () => `${uiDirectory()}storyView.js`, type: 'text/javascript; charset=utf-8' },
    'operationsViews.js': {
      file: () => `${uiDirectory()}operationsViews.js`,
      type: 'text/javascript; charset=utf-8',
    },
    'styles.css': { file: () => `${uiDirectory()}styles.css`, type: 'text/css; charset=utf-8' },
    // the single-file browser build, served from this package's own node_modules, never a CDN
    'mermaid.min.js': {
      file: () => createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'),
      type: 'text/javascript; charset=utf-8',
    },
  } satisfies Record<string, Asset>),
);

const cache = new Map<string, Promise<Buffer>>();

const serve = async (name: string): Promise<RouteResult> => {
  const asset = assets.get(name);
  if (!asset) throw notFound(`no UI asset ${name}`);
  let content = cache.get(name);
  if (!content) {
    content = readFile(asset.file());
    cache.set(name, content);
    content.catch(() => cache.delete(name));
  }
  return {
    status: 200,
    body: await content,
    contentType: asset.type,
    headers: {
      'content-security-policy': CSP,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  };
};

/** The visualiser: a static page; it asks for the key or token itself and sends it to /v1. */
export const uiRoutes = (): ApiRoute[] => [
  defineRoute({
    method: 'GET',
    url: '/ui',
    access: 'public',
    tag: 'ui',
    summary: 'The visualiser',
    hidden: true,
    traced: false,
    responses: { 302: 'to /ui/' },
    handler: async () => ({ status: 302, body: '', headers: { location: '/ui/' } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/ui/:asset',
    access: 'public',
    tag: 'ui',
    summary: 'The visualiser assets',
    hidden: true,
    traced: false,
    params: z.strictObject({ asset: z.string().max(40).default('index.html') }),
    responses: { 200: 'the asset', 404: 'none' },
    handler: async ({ params }) => serve(params.asset || 'index.html'),
  }),
  defineRoute({
    method: 'GET',
    url: '/ui/',
    access: 'public',
    tag: 'ui',
    summary: 'The visualiser page',
    hidden: true,
    traced: false,
    responses: { 200: 'the page' },
    handler: async () => serve('index.html'),
  }),
];
