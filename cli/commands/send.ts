import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { type ConnectionFlags, positiveInt, usageError, withConnectionOptions } from '../command-options';
import { resolveConnection } from '../connection';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes';
import { jsonlCalls, type UnreadableLine } from '../jsonl-calls';
import { type SendSummary, sendCalls } from '../send-calls';

interface SendFlags extends ConnectionFlags {
  batchSize?: string;
  progress: boolean;
}

function printSummary(summary: SendSummary, unreadable: readonly UnreadableLine[], unreadableCount: number) {
  console.log(
    `sent ${summary.sent} calls: ${summary.accepted} accepted, ${summary.rejected} rejected` +
      (unreadableCount > 0 ? `, ${unreadableCount} unreadable lines skipped` : ''),
  );
  for (const u of unreadable) console.error(`  line ${u.line}: ${u.reason}`);
  for (const r of summary.refusals) {
    console.error(`  ${r.origin}: ${r.errors.map((e) => `${e.path || '(event)'}: ${e.message}`).join('; ')}`);
  }
}

/** Registers `cdp send <file.jsonl>`: Segment calls to a running CDP, batched, with a progress bar. */
export function registerSendCommand(program: Command): void {
  const send = program
    .command('send')
    .description('send Segment calls (JSON lines, one call per line) to a running CDP through /v1/batch')
    .argument('<file>', 'JSON-lines file: one Segment call per line ({"type":"track","userId":...})')
    .option('--batch-size <n>', 'calls per /v1/batch request (1-500)', '100')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      '\nExit codes: 0 every call accepted, 1 some call rejected or unreadable, or the CDP refused/unreachable,' +
        ' 2 bad command line.\nExample:\n  cdp send events.jsonl --key "$CDP_WRITE_KEY"',
    );
  withConnectionOptions(send, 'write').action(async (file: string, flags: SendFlags) => {
    const batchSize = positiveInt(send, '--batch-size', flags.batchSize, 500)!;
    const connection = resolveConnection(flags, process.env, 'write');
    if (!connection.ok) usageError(send, connection.error);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (error: unknown) {
      usageError(send, `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const unreadable: UnreadableLine[] = [];
    let unreadableCount = 0;
    let bytes = 0;
    const bar = flags.progress
      ? new SingleBar({
          format: 'sending [{bar}] {percentage}% | {sent} calls | eta {eta_formatted}',
          hideCursor: true,
        })
      : undefined;
    bar?.start(size, 0, { sent: 0 });
    const calls = jsonlCalls(
      createReadStream(file),
      (u) => {
        unreadableCount++;
        if (unreadable.length < 20) unreadable.push(u);
      },
      (n) => {
        bytes += n;
      },
    );
    try {
      const summary = await sendCalls(
        calls,
        { url: connection.value.url, writeKey: connection.value.key, batchSize },
        { onProgress: (sent) => bar?.update(Math.min(bytes, size), { sent }) },
      );
      bar?.update(size);
      bar?.stop();
      printSummary(summary, unreadable, unreadableCount);
      process.exitCode = summary.rejected === 0 && unreadableCount === 0 ? EXIT_OK : EXIT_FAILED;
    } catch (error: unknown) {
      bar?.stop();
      console.error(`send failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = EXIT_FAILED;
    }
  });
}
