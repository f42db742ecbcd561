import { type ChildProcess, fork, spawn } from 'node:child_process';

/** A benchmark server in its own process: its URL, and the child to message and stop. */
export interface ForkedServer {
  readonly url: string;
  readonly child: ChildProcess;
}

/** How to start a benchmark process. */
export interface ForkOptions {
  /** Pin the process (all its threads, from its start) to this CPU with `taskset -c`. */
  readonly cpu?: number;
}

/**
 * Starts `script` under tsx in its own process with an IPC channel, pinned to `options.cpu` when given
 * (`taskset -c <cpu> node ...`: taskset execs node, so the child keeps the IPC channel).
 */
export function forkScript(
  script: string,
  args: readonly string[],
  execArgv: readonly string[] = [],
  options: ForkOptions = {},
): ChildProcess {
  const stdio: ['ignore', 'pipe', 'inherit', 'ipc'] = ['ignore', 'pipe', 'inherit', 'ipc'];
  if (options.cpu === undefined) {
    return fork(script, [...args], { execArgv: ['--import', 'tsx', ...execArgv], stdio });
  }
  return spawn(
    'taskset',
    ['-c', String(options.cpu), process.execPath, '--import', 'tsx', ...execArgv, script, ...args],
    { stdio },
  );
}

/**
 * Forks `script` under tsx and resolves once it prints `PORT <n>`; rejects if it exits first. The
 * server answers IPC messages the benchmark defines (stats, CPU time).
 */
export function forkServer(
  script: string,
  args: readonly string[],
  execArgv: readonly string[] = [],
  options: ForkOptions = {},
): Promise<ForkedServer> {
  const child = forkScript(script, args, execArgv, options);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, child });
    });
    child.once('exit', (code) => reject(new Error(`${args[0] ?? script} server exited with ${code}`)));
  });
}
