#!/usr/bin/env node
// The `cdp` command. Runs the compiled CLI (`npm run build` makes dist/). V8 reads heap sizes only when
// node starts, and `env -S` in a shebang is missing from BusyBox (Alpine) and older coreutils, so the
// flags of cli/node-flags.ts come from `npm start` / `npm run cdp`, or from NODE flags you pass yourself.
require('../dist/cli/main.js').main(process.argv);
