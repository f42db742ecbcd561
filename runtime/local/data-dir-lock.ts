import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Another process already runs on this data folder. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>/cdp.pid` so two processes never write one log. A lock left by a killed process
 * (its pid is gone) is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string, pid: number): () => void {
  const path = join(dataDir, 'cdp.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== pid && alive(holder)) {
        throw new DataDirLockedError(
          `another Tributary process (pid ${holder}) is using ${dataDir}; stop it or use another CDP_DATA_DIR`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirLockedError(`cannot lock ${dataDir}`);
}
