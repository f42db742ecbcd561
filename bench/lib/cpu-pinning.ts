import { spawnSync } from 'node:child_process';

/** Which CPU the server under test and the load generator are pinned to, or why they are not. */
export type CpuPlan =
  | { readonly pinned: true; readonly server: number; readonly generator: number; readonly cpus: number[] }
  | { readonly pinned: false; readonly reason: string };

/** The CPUs this process may run on, read with `taskset -p`; undefined when taskset is missing. */
export function allowedCpus(): number[] | undefined {
  const res = spawnSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' });
  if (res.status !== 0 || typeof res.stdout !== 'string') return undefined;
  const list = /affinity list:\s*([\d,\- ]+)/.exec(res.stdout)?.[1];
  if (!list) return undefined;
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const [from, to] = part.trim().split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) continue;
    for (let c = from; c <= (to ?? from); c++) cpus.push(c);
  }
  return cpus;
}

/**
 * Gives the server and the load generator a CPU each (the last and the first this process may use) when
 * `taskset` exists and at least two CPUs are allowed; otherwise says why they share the machine.
 */
export function planCpus(): CpuPlan {
  const cpus = allowedCpus();
  if (cpus === undefined) return { pinned: false, reason: 'taskset is not available' };
  if (cpus.length < 2) return { pinned: false, reason: `only CPU ${cpus.join(',')} is allowed` };
  return { pinned: true, server: cpus[cpus.length - 1]!, generator: cpus[0]!, cpus };
}

/** One line for a report: where the processes ran. */
export function describeCpuPlan(plan: CpuPlan): string {
  return plan.pinned
    ? `server pinned to CPU ${plan.server} and load generator to CPU ${plan.generator} with taskset ` +
        '(other jobs on the machine were not excluded from either)'
    : `not pinned (${plan.reason}): server and load generator share the CPUs`;
}
