import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type ChildService, startChildService } from './child-service';
import { freePort } from './free-port';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Where a Python that runs moto's server is, or why there is none. */
export type MotoPython =
  | { readonly ok: true; readonly python: string }
  | { readonly ok: false; readonly reason: string };

let cached: MotoPython | undefined;

/**
 * Finds a Python that imports `moto.server` (python3, or `.venv` after `scripts/ensure-moto.sh`
 * installs `moto[server]` there). Synchronous so suites can decide at definition time.
 */
export function findMotoPython(): MotoPython {
  if (cached !== undefined) return cached;
  const res = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'ensure-moto.sh')], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const python = res.stdout?.trim().split('\n').at(-1);
  cached =
    res.status === 0 && python
      ? { ok: true, python }
      : { ok: false, reason: (res.stderr || res.error?.message || 'ensure-moto.sh failed').trim() };
  return cached;
}

/** A running moto server; `reset` forgets every resource (`POST /moto-api/reset`). */
export interface MotoServer extends ChildService {
  reset(): Promise<void>;
}

/** Starts `python -m moto.server` on a free port and waits until it answers. */
export async function startMotoServer(): Promise<MotoServer> {
  const found = findMotoPython();
  if (!found.ok) throw new Error(`moto server unavailable: ${found.reason}`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const service = await startChildService({
    name: 'moto',
    command: found.python,
    args: ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)],
    env: { PYTHONUNBUFFERED: '1' },
    endpoint,
    readyUrl: `${endpoint}/moto-api/reset`,
    readyMethod: 'POST',
  });
  return { ...service, reset: () => resetMoto(endpoint) };
}

/** Forgets every resource the moto server at `endpoint` holds. */
export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`moto reset failed with status ${res.status}`);
}
