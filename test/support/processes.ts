import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** tsx's loader by path, so a process started in another directory finds it. */
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export type PodExit = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

export type PodProcess = {
  readonly child: ChildProcess;
  readonly exited: Promise<PodExit>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once a line matching `pattern` was printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends the signal (if still running) and resolves with how the process ended. */
  kill(signal: NodeJS.Signals): Promise<PodExit>;
};

/**
 * Starts a workers/ entry point from source as a real child process (tsx loader), with `args`
 * after it. Its pod server takes a free port (METRICS_PORT 0) unless the caller says otherwise,
 * so pods run side by side.
 */
export const startPod = (
  entry: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): PodProcess =>
  watchProcess(
    spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: repoRoot,
      env: { ...process.env, METRICS_PORT: '0', ...env, LOG_LEVEL: env.LOG_LEVEL ?? 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    entry,
  );

/**
 * Starts a pod that should stop by itself (a start-up check refusing it) and waits for it to end:
 * how it ended, or 'still running' (then killed) after `waitMs`, and what it printed.
 */
export const startPodUntilItStops = async (entry: string, env: Record<string, string>, waitMs = 90_000) => {
  const pod = startPod(entry, env);
  const exit = await Promise.race([
    pod.exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), waitMs)),
  ]);
  if (exit === 'still running') await pod.kill('SIGKILL');
  return { exit, output: pod.output() };
};

/** A started process (stdout and stderr piped) as a PodProcess; `label` names it in failures. */
export const watchProcess = (child: ChildProcess, label: string): PodProcess => {
  let output = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<PodExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // a process that could not start (no such command or working directory) never exits
    child.once('error', (error) => {
      if (child.pid !== undefined) return;
      output += `${error.message}\n`;
      resolve({ code: null, signal: null });
    });
  });
  return {
    child,
    exited,
    output: () => output,
    // a deadline against a hang, not a timing claim: a pod's cold start (tsx) is slow on a busy machine
    waitFor: (pattern, timeoutMs = 90_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${label} did not print ${pattern} within ${timeoutMs} ms; output:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        exited.then(() => {
          if (!pattern.test(output)) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`${label} exited before printing ${pattern}; output:\n${output}`));
          }
        });
        check();
      }),
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
};

export type Finished = { readonly code: number | null; readonly stdout: string; readonly stderr: string };

/**
 * Runs a script from source (tsx loader) to its end and resolves with its exit code and output.
 * `env` goes over this process's environment, or replaces it with `inheritEnv: false`.
 */
export const runToEnd = (
  entry: string,
  {
    env = {},
    args = [],
    inheritEnv = true,
    cwd = repoRoot,
  }: { env?: NodeJS.ProcessEnv; args?: readonly string[]; inheritEnv?: boolean; cwd?: string } = {},
): Promise<Finished> =>
  finished(
    spawn(process.execPath, ['--import', tsxLoader, resolvePath(repoRoot, entry), ...args], {
      cwd,
      // from another directory too, tsx maps chronicle-runtime to src/ by the repository's tsconfig
      env: {
        ...(inheritEnv ? { ...process.env, ...env } : env),
        TSX_TSCONFIG_PATH: join(repoRoot, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

/** Resolves with a started process's exit code and output (stdout and stderr piped) once it closed. */
export const finished = (child: ChildProcess): Promise<Finished> =>
  new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
