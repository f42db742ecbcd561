/** Exit codes scripts can rely on. */
export const EXIT_OK = 0;
/** Not found, refused by the server, unreachable, or the work failed. */
export const EXIT_FAILED = 1;
/** Bad command line: unknown option, missing argument, invalid value. */
export const EXIT_USAGE = 2;

/** A command-line mistake: reported with the command's usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
