import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) of this process's descendants, e.g. the PostgreSQL server a bench
 * started and its backends, including children that already exited (cutime/cstime). Read from /proc:
 * `undefined` where there is none (not Linux). On a machine shared with other work, CPU time tells
 * what a change saved when wall time mostly tells the load.
 */
export function descendantsCpuSeconds(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const procs: { pid: number; ppid: number; seconds: number }[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // fields after "pid (comm) ": state ppid ... utime(14) stime(15) cutime(16) cstime(17)
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      procs.push({ pid: Number(entry), ppid: Number(f[1]), seconds: ticks / TICKS_PER_SECOND });
    } catch {
      // the process ended while we looked
    }
  }
  const family = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!family.has(p.pid) && family.has(p.ppid)) {
        family.add(p.pid);
        grew = true;
      }
    }
  }
  return procs.filter((p) => p.pid !== process.pid && family.has(p.pid)).reduce((n, p) => n + p.seconds, 0);
}

/** CPU seconds of this process (user + system, all threads). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
