import { afterAll, beforeAll } from 'vitest';
import { type CommandPath, createCommandPath } from '../../support/commandPath.js';
import { type PodExit, type PodProcess, startPod } from '../../support/processes.js';
import { authEnv } from './apiKeys.js';

export type ApiPod = {
  readonly pod: PodProcess;
  readonly url: string;
  stop(): Promise<PodExit>;
};

/** Spawns workers/api.ts as the deployment runs it, on a free loopback port; resolves once ready. */
export const startApiPod = async (env: Record<string, string>): Promise<ApiPod> => {
  const pod = startPod('workers/api.ts', { HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0', ...env });
  await pod.waitFor(/chronicle-api ready/, 45_000);
  const port = /"port":(\d+),"msg":"chronicle-api ready"/.exec(pod.output())?.[1];
  if (!port) throw new Error(`no port in the api pod's output:\n${pod.output()}`);
  return { pod, url: `http://127.0.0.1:${port}`, stop: () => pod.kill('SIGTERM') };
};

/** An api pod and the command path (PostgreSQL, Redis) it runs on. */
export type ApiPodOnPath = ApiPod & { readonly path: CommandPath };

/**
 * For the whole spec file: before its tests, a command path and an api pod on it that knows the test
 * keys (`authEnv`, plus `env`); after them, both stopped. Use it inside tests, once it started.
 */
export const useApiPodWithKeys = (env: Record<string, string> = {}): ApiPodOnPath => {
  let started: { readonly path: CommandPath; readonly api: ApiPod } | undefined;
  let path: CommandPath | undefined;
  beforeAll(async () => {
    path = await createCommandPath();
    started = { path, api: await startApiPod({ ...path.podEnv, ...authEnv, ...env }) };
  });
  afterAll(async () => {
    await started?.api.stop();
    await path?.close();
  });
  const now = () => {
    if (!started) throw new Error('the api pod is started in beforeAll: use it inside a test');
    return started;
  };
  return {
    get url() {
      return now().api.url;
    },
    get pod() {
      return now().api.pod;
    },
    stop: () => now().api.stop(),
    get path() {
      return now().path;
    },
  };
};
