/**
 * The V8 flags the `cdp` process runs with: `npm start` and `npm run cdp` pass them (not `bin/cdp.js`'s
 * shebang: `env -S` is not portable), and
 * so do the end-to-end tests and benchmarks that start `cdp dev` (a test keeps them in step). V8 reads
 * heap sizes once, when the process starts, so they cannot be set from code.
 *
 * `--max-semi-space-size=64 --min-semi-space-size=64`: a young generation of 3 × 64 MB, always, instead of
 * 3 × 1 to 16 MB. Serving the Profile API allocates about 30 KB per request (most of it in Node's HTTP
 * stack), so at 5,000 requests/s the default scavenged (paused) 10 to 40 times a second: V8 shrinks the
 * young generation whenever the process idles and grows it back only slowly, so the minimum matters as
 * much as the maximum. At 64 MB about twice a second, each pause about as long (a scavenge costs what
 * survives, not the size). The cost: up to about 120 MB more resident memory per V8 isolate once it has
 * allocated that much (pages are touched as they are used, so short commands barely pay it). The flags are
 * process-wide: `cdp dev`'s checkpoint compaction worker gets the same young generation (a worker's
 * `resourceLimits` do not lower the minimum), so count about twice that for `cdp dev`.
 */
export const CDP_NODE_FLAGS = ['--max-semi-space-size=64', '--min-semi-space-size=64'] as const;
