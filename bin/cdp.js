#!/usr/bin/env -S node --max-semi-space-size=64 --min-semi-space-size=64
// The `cdp` command. Runs the compiled CLI (`npm run build` makes dist/) with the V8 flags of
// cli/node-flags.ts (heap sizes are read when node starts, hence the shebang).
require('../dist/cli/main.js').main(process.argv);
