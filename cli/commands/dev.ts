import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { createMemoryEventLog } from '../../adapters/local/memory-event-log';
import { CollectorConfigError, createCollector, parseWriteKeyList } from '../../services/collector';

/** What `cdp dev` reads from its environment and flags. */
export interface DevOptions {
  readonly port: number;
  readonly host: string;
  /** `key:source,...`; a key for source `web` is generated when absent. */
  readonly writeKeys?: string;
}

/** Reads the `cdp dev` options from flags first, then `PORT`, `HOST`, `CDP_WRITE_KEYS`. */
export function devOptionsFrom(
  flags: { port?: string; host?: string },
  env: NodeJS.ProcessEnv,
): { ok: true; value: DevOptions } | { ok: false; error: string } {
  const portText = flags.port ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return { ok: false, error: `port must be an integer from 0 to 65535, got "${portText}"` };
  }
  const writeKeys = env.CDP_WRITE_KEYS?.trim();
  return {
    ok: true,
    value: { port, host: flags.host ?? env.HOST ?? '127.0.0.1', writeKeys: writeKeys || undefined },
  };
}

/**
 * Starts the collector alone, appending to an in-memory log (the embedded runtime comes in a later
 * issue), until SIGINT / SIGTERM. Resolves with a function that stops it.
 */
export async function startDev(
  options: DevOptions,
  print: (line: string) => void,
): Promise<() => Promise<void>> {
  let writeKeys: Record<string, string>;
  if (options.writeKeys === undefined) {
    const key = randomBytes(18).toString('base64url');
    writeKeys = { [key]: 'web' };
    print(`No CDP_WRITE_KEYS set: generated write key ${key} for source "web".`);
  } else {
    const parsed = parseWriteKeyList(options.writeKeys);
    if (!parsed.ok) throw new CollectorConfigError(`CDP_WRITE_KEYS: ${parsed.error}`);
    writeKeys = parsed.value;
  }
  const app = createCollector({ writeKeys }, { eventLog: createMemoryEventLog({ retainPerShard: 10_000 }) });
  await app.listen({ port: options.port, host: options.host });
  const { port } = app.server.address() as AddressInfo;
  const base = `http://${options.host}:${port}`;
  print(`Tributary collector listening on ${base}`);
  print(`  POST ${base}/v1/batch (Segment / RudderStack SDKs: use ${base} as host or data plane URL)`);
  print(`  API docs ${base}/docs, OpenAPI ${base}/openapi.json, health ${base}/healthz`);
  print(
    'NOTE: events are validated and acknowledged but NOT kept: they go to an in-memory log that nothing ' +
      'reads yet and that is lost on exit. The embedded runtime (durable log, processors, profiles) comes in a ' +
      'later issue.',
  );
  return () => app.close();
}

/** Registers `cdp dev`: the local CDP (for now: the collector alone). */
export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('Run Tributary locally (for now: the collector alone; events are not kept yet)')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
    .action(async (flags: { port?: string; host?: string }) => {
      const options = devOptionsFrom(flags, process.env);
      if (!options.ok) throw new Error(options.error);
      const stop = await startDev(options.value, (line) => console.log(line));
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${signal} received, stopping the collector...`);
        stop().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(error instanceof Error ? error.message : String(error));
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
