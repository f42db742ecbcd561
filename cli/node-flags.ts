/**
 * The V8 flags the `cdp` process runs with: `bin/cdp.js` (its shebang) and `npm start` pass them, and
 * so do the end-to-end tests and benchmarks that start `cdp dev` (a test keeps them in step). V8 reads
 * heap sizes once, when the process starts, so they cannot be set from code.
 *
 * `--max-semi-space-size=64 --min-semi-space-size=64`: a young generation of 3 × 64 MB, always, instead of
 * 3 × 1 to 16 MB. Serving the Profile API allocates about 30 KB per request (most of it in Node's HTTP
 * stack), so at 5,000 requests/s the default scavenged (paused) 10 to 40 times a second: V8 shrinks the
 * young generation whenever the process idles and grows it back only slowly, so the minimum matters as
 * much as the maximum. At 64 MB about twice a second, each pause about as long (a scavenge costs what
 * survives, not the size). The cost: up to about 120 MB more resident memory once the process has
 * allocated that much (pages are touched as they are used, so short commands barely pay it).
 */
export const CDP_NODE_FLAGS = ['--max-semi-space-size=64', '--min-semi-space-size=64'] as const;
