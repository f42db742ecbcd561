import type { Command } from 'commander';
import { cdpProcessing } from '../../runtime/local/cdp-processing';
import { DataDirLockedError } from '../../runtime/local/data-dir-lock';
import { replayLocalState } from '../../runtime/local/replay-local-state';
import { loadRuntimeSegments } from '../../runtime/local/segments-setting';
import { EXIT_BAD_CONFIG, loadConfigFrom, type RuntimeFlags, reportConfigProblems } from './dev';

/** Exit code when the replay is refused (a running cdp dev, or retention already deleted records). */
export const EXIT_REFUSED = 4;

/** Registers `cdp replay`: rebuild the processors' state and the lake from the event log. */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'Rebuild state (profiles, segments, keyed state) and the lake from the event log; cdp dev must be stopped',
    )
    .option('-d, --data-dir <dir>', 'data folder (env CDP_DATA_DIR, default ./.tributary)')
    .option('-c, --config <file>', 'configuration file (env CDP_CONFIG)')
    .option('--segments <file>', 'real-time segment definitions, as given to cdp dev (env CDP_SEGMENTS_FILE)')
    .option('--force', 'replay even if retention already deleted the oldest records')
    .addHelpText(
      'after',
      '\nExit codes: 0 replayed, 1 failed, 2 invalid configuration, 4 refused (cdp dev running, or records already deleted).',
    )
    .action(async (flags: RuntimeFlags & { force?: boolean }) => {
      const loaded = loadConfigFrom(flags, process.env, process.cwd());
      if (!loaded.ok) {
        reportConfigProblems(loaded, (l) => console.error(l));
        process.exit(EXIT_BAD_CONFIG);
      }
      if (loaded.config.log !== 'file') {
        // the stream keeps only its retention period; replay reads the embedded log's whole history
        console.error('Replay refused: cdp replay reads the embedded file log; log is "kinesis" here.');
        process.exit(EXIT_REFUSED);
      }
      const segments = await loadRuntimeSegments(loaded.config);
      if (!segments.ok) {
        reportConfigProblems({ ok: false, problems: [segments.problem] }, (l) => console.error(l));
        process.exit(EXIT_BAD_CONFIG);
      }
      try {
        const result = await replayLocalState({
          config: loaded.config,
          force: flags.force,
          processing: cdpProcessing({ segments: segments.definitions }),
          print: (l) => console.log(l),
        });
        if (!result.ok) {
          console.error(`Replay refused: ${result.reason}`);
          process.exit(EXIT_REFUSED);
        }
        const rate = result.seconds > 0 ? Math.round(result.events / result.seconds) : result.events;
        console.log(
          `Replayed ${result.events} events in ${result.seconds.toFixed(1)} s (${rate} events/s); checkpoint ${result.checkpointId} written.`,
        );
      } catch (error: unknown) {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(error instanceof DataDirLockedError ? EXIT_REFUSED : 1);
      }
    });
}
