import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function startCdpDev(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  waitFor: (re: RegExp) => Promise<RegExpExecArray>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli', 'main.ts'), 'dev'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const waitFor = (re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = re.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(m);
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`cdp dev exited (${child.exitCode}): ${out}`));
        }
      }, 50);
    });
  return { child, output: () => out, waitFor };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('cdp dev', () => {
  it('generates a write key, accepts events with it, says events are not kept, stops on SIGTERM', async () => {
    const dev = startCdpDev({ PORT: '0', CDP_WRITE_KEYS: '' });
    try {
      const [, key] = await dev.waitFor(/generated write key (\S+) for source "web"/);
      const [, url] = await dev.waitFor(/listening on (http:\/\/\S+)/);
      expect(dev.output()).toMatch(/NOT kept/);
      const res = await fetch(`${url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': key! },
        body: JSON.stringify({ userId: 'u-1', event: 'Tried Tributary' }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
      const exited = exitOf(dev.child);
      dev.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(dev.output()).toMatch(/SIGTERM received/);
    } finally {
      if (dev.child.exitCode === null) dev.child.kill('SIGKILL');
    }
  });

  it('uses the write keys of CDP_WRITE_KEYS and refuses others; stops on SIGINT', async () => {
    const dev = startCdpDev({ PORT: '0', CDP_WRITE_KEYS: 'k-ios:ios, k-crm:crm' });
    try {
      const [, url] = await dev.waitFor(/listening on (http:\/\/\S+)/);
      expect(dev.output()).not.toMatch(/generated write key/);
      const send = (key: string) =>
        fetch(`${url}/v1/identify`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
          },
          body: JSON.stringify({ userId: 'u-1', traits: { email: 'a@b.co' } }),
        });
      expect((await send('k-crm')).status).toBe(200);
      expect((await send('other')).status).toBe(401);
      const exited = exitOf(dev.child);
      dev.child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (dev.child.exitCode === null) dev.child.kill('SIGKILL');
    }
  });

  it('refuses a malformed CDP_WRITE_KEYS with a clear message', async () => {
    const dev = startCdpDev({ PORT: '0', CDP_WRITE_KEYS: 'no-source-here' });
    const code = await exitOf(dev.child);
    expect(code).toBe(1);
    expect(dev.output()).toMatch(/CDP_WRITE_KEYS: write key entry .* is not key:source/);
  });
});
