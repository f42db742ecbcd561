import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { generateJourneys, type JourneyOptions, parseJourneyOptions } from '../../services/demo-data';
import {
  type ConnectionFlags,
  connectionFor,
  positiveInt,
  usageError,
  withConnectionOptions,
} from '../command-options';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes';
import { jsonlCalls, type UnreadableLine } from '../jsonl-calls';
import { type CallToSend, type SendSummary, sendCalls } from '../send-calls';

interface SendFlags extends ConnectionFlags {
  batchSize?: string;
  count?: string;
  seed?: string;
  spanDays?: string;
  progress: boolean;
}

/** The generator's calls as calls to send (`origin` = `generated call N`). */
function* generatedCalls(options: JourneyOptions): Generator<CallToSend> {
  let n = 0;
  for (const call of generateJourneys(options)) yield { call, origin: `generated call ${++n}` };
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

/** Registers `cdp send <file.jsonl>` and `cdp send --count N`: Segment calls to a running CDP, batched. */
export function registerSendCommand(program: Command): void {
  const send = program
    .command('send')
    .description(
      'send Segment calls to a running CDP through /v1/batch: a JSON-lines file, or --count N realistic journeys',
    )
    .argument('[file]', 'JSON-lines file: one Segment call per line ({"type":"track","userId":...})')
    .option('--count <n>', 'instead of a file: generate about N calls of realistic customer journeys')
    .option('--seed <n>', 'seed of the generated journeys (same seed, same people)', '1')
    .option('--span-days <n>', 'generated customers arrive over this many days before now', '90')
    .option('--batch-size <n>', 'calls per /v1/batch request (1-500)', '100')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      '\nExit codes: 0 every call accepted, 1 some call rejected or unreadable, or the CDP refused/unreachable,' +
        ' 2 bad command line.\nExamples:\n  cdp send events.jsonl --key "$CDP_WRITE_KEY"\n  cdp send --count 10000 --seed 7',
    );
  withConnectionOptions(send, 'write').action(async (file: string | undefined, flags: SendFlags) => {
    const batchSize = positiveInt(send, '--batch-size', flags.batchSize, 500)!;
    const count = positiveInt(send, '--count', flags.count, 10_000_000);
    if ((file === undefined) === (count === undefined))
      usageError(send, 'give a <file> or --count <n> (one of them)');
    const connection = connectionFor(send, flags, 'write');
    const unreadable: UnreadableLine[] = [];
    let unreadableCount = 0;
    let progress: { total: number; done: (sent: number) => number };
    let calls: AsyncIterable<CallToSend> | Iterable<CallToSend>;
    if (file !== undefined) {
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch (error: unknown) {
        usageError(send, `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      let bytes = 0;
      progress = { total: size, done: () => Math.min(bytes, size) };
      calls = jsonlCalls(
        createReadStream(file),
        (u) => {
          unreadableCount++;
          if (unreadable.length < 20) unreadable.push(u);
        },
        (n) => {
          bytes += n;
        },
      );
    } else {
      const options = parseJourneyOptions({
        count,
        seed: positiveInt(send, '--seed', flags.seed, 0xffff_ffff),
        spanDays: positiveInt(send, '--span-days', flags.spanDays, 3650),
        endMs: Date.now(),
      });
      if (!options.ok) usageError(send, options.reason);
      progress = { total: count!, done: (sent) => sent };
      calls = generatedCalls(options.value);
    }
    const bar = flags.progress
      ? new SingleBar({
          format: 'sending [{bar}] {percentage}% | {sent} calls | eta {eta_formatted}',
          hideCursor: true,
        })
      : undefined;
    bar?.start(progress.total, 0, { sent: 0 });
    try {
      const summary = await sendCalls(
        calls,
        { url: connection.url, writeKey: connection.key, batchSize },
        { onProgress: (sent) => bar?.update(progress.done(sent), { sent }) },
      );
      bar?.update(progress.total);
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
