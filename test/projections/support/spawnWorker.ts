import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export type SpawnedWorker = {
  readonly id: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** A projection worker pod, as deployed: `node --import tsx workers/projection-worker.ts`. */
export const spawnProjectionWorker = (
  databaseUrl: string,
  id: string,
  env: Record<string, string> = {},
): SpawnedWorker => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/projection-worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      CHRONICLE_WORKER_ID: id,
      CHRONICLE_SUBSCRIPTION_LEASE_MS: '1500',
      CHRONICLE_SUBSCRIPTION_POLL_MS: '100',
      CHRONICLE_SUBSCRIPTION_BACKOFF_MS: '20',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    id,
    child,
    exited,
    output: () => output,
    kill: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
};
