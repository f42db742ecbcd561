import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

interface ProcStat {
  readonly ppid: number;
  readonly own: number;
  readonly reapedChildren: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(f[1]),
      own: Number(f[11]) + Number(f[12]),
      reapedChildren: Number(f[13]) + Number(f[14]),
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + system) a server process and its children have used so far: the process, its
 * live children, and the children it has reaped (PostgreSQL's backends and parallel workers). Linux
 * only; undefined elsewhere. On a shared machine this is the figure load does not inflate much.
 */
export function serverCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const root = procStat(pid);
  if (!root) return undefined;
  let ticks = root.own + root.reapedChildren;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = procStat(Number(entry));
    if (child?.ppid === pid) ticks += child.own;
  }
  return ticks / TICKS;
}

/** CPU seconds of this process (user + system, all threads). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
