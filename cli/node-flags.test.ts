import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CDP_NODE_FLAGS } from './node-flags';

const root = join(__dirname, '..');

describe('CDP_NODE_FLAGS', () => {
  it('are the flags npm start and npm run cdp run the CLI with; bin/cdp.js keeps a portable shebang', () => {
    const shebang = readFileSync(join(root, 'bin', 'cdp.js'), 'utf8').split('\n')[0];
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: { start: string; cdp: string };
    };
    expect(shebang).toBe('#!/usr/bin/env node');
    expect(scripts.start).toBe(`node ${CDP_NODE_FLAGS.join(' ')} dist/cli/main.js dev`);
    expect(scripts.cdp).toBe(`node ${CDP_NODE_FLAGS.join(' ')} bin/cdp.js`);
  });
});
