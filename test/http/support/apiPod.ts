import { type PodExit, type PodProcess, startPod } from '../../support/processes.js';

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
