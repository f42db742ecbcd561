import { type ChildProcess, fork } from 'node:child_process';

/** A benchmark server in its own process: its URL, and the child to message and stop. */
export interface ForkedServer {
  readonly url: string;
  readonly child: ChildProcess;
}

/**
 * Forks `script` under tsx and resolves once it prints `PORT <n>`; rejects if it exits first. The
 * server answers IPC messages the benchmark defines (stats, CPU time).
 */
export function forkServer(
  script: string,
  args: readonly string[],
  execArgv: readonly string[] = [],
): Promise<ForkedServer> {
  const child = fork(script, [...args], {
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
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
