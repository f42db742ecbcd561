/**
 * An AWS call failed in a way the adapter could not absorb (retries exhausted, a non-retryable
 * error). `cause` holds the last SDK error or the per-record error codes; messages never contain
 * record contents (they may hold PII).
 */
export class AwsAdapterError extends Error {
  /** True when AWS throttled us to the end (the caller should slow down, not give up on the data). */
  readonly throttled: boolean;

  constructor(message: string, options: { cause?: unknown; throttled?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AwsAdapterError';
    this.throttled = options.throttled ?? false;
  }
}
