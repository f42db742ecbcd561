/**
 * The V8 flags the `cdp` process runs with: `bin/cdp.js` (its shebang) and `npm start` pass them, and
 * so do the end-to-end tests and benchmarks that start `cdp dev` (a test keeps them in step). V8 reads
 * heap sizes once, when the process starts, so they cannot be set from code.
 *
 * `--max-semi-space-size=64`: lets the young generation grow to 3 × 64 MB instead of 3 × 16 MB. Serving
 * the Profile API allocates tens of kilobytes per request (most of it in Node's HTTP stack), so with
 * the default a scavenge pauses the event loop about a dozen times a second at 5,000 requests/s; with
 * 64 MB about three times a second, each pause about as long (it follows what survives, not the size).
 * The cost is up to about 150 MB more memory, only when the allocation rate asks for it.
 */
export const CDP_NODE_FLAGS = ['--max-semi-space-size=64'] as const;
