import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalDevFiles } from './local-dev-files';

describe('readLocalDevFiles', () => {
  it('reads the URL of a running cdp dev and the keys it keeps; tolerates missing or damaged files', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cdp-files-'));
    try {
      // Act + Assess: nothing there
      expect(readLocalDevFiles(dir)).toEqual({});
      writeFileSync(join(dir, 'runtime.json'), JSON.stringify({ url: 'http://127.0.0.1:5000', pid: 1 }));
      writeFileSync(
        join(dir, 'keys.json'),
        JSON.stringify({ writeKeys: { wk_a: 'web', wk_b: 'ios' }, readKey: 'rk_x' }),
      );
      expect(readLocalDevFiles(dir)).toEqual({
        url: 'http://127.0.0.1:5000',
        readKey: 'rk_x',
        writeKey: 'wk_a',
      });
      writeFileSync(join(dir, 'keys.json'), '{ not json');
      expect(readLocalDevFiles(dir)).toEqual({ url: 'http://127.0.0.1:5000' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
