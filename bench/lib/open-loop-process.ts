// The load generator's own process: answers each `{ run: OpenLoopOptions }` IPC message with
// `{ result: OpenLoopResult }` (or `{ error }`). Prints `READY` once it listens for runs.
import { type OpenLoopOptions, runOpenLoop } from './open-loop';

process.on('message', (message: { run?: OpenLoopOptions }) => {
  if (message.run === undefined) return;
  runOpenLoop(message.run).then(
    (result) => process.send?.({ result }),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
console.log('READY');
