#!/usr/bin/env node
// The `cdp` command. Runs the compiled CLI (`npm run build` makes dist/).
require('../dist/cli/main.js').main(process.argv);
