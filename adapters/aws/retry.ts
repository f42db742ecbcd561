import { AwsAdapterError } from './aws-adapter-error';

/** How often and how patiently an adapter retries what AWS did not take. */
export interface RetryPolicy {
  /** Attempts in total, the first included (≥ 1). */
  readonly maxAttempts: number;
  /** Ceiling of the first retry's delay; doubles each retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Default: 8 attempts, delays drawn from [0, 50 ms · 2ⁿ] capped at 5 s (about 10 s at worst). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 5_000 };

/** What the retry loop waits with and draws jitter from (injected so tests need not wait). */
export interface RetryDeps {
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). */
  readonly random?: () => number;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The delay before retry number `retry` (1 for the first retry): "full jitter", uniform in
 * `[0, min(maxDelayMs, baseDelayMs · 2^(retry-1))]`, so retrying clients spread out instead of
 * hammering the partition that throttled them all at once.
 */
export function fullJitterDelay(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Checks a policy once, where an adapter is created. */
export function validRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry maxAttempts must be an integer ≥ 1, got ${policy.maxAttempts}`);
  }
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new RangeError('retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs');
  }
  return policy;
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'KMSThrottlingException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  // Firehose's per-record answer when a delivery stream's throughput is exceeded
  'ServiceUnavailableException',
  // DynamoDB batch answers: items left for lack of capacity
  'UnprocessedItems',
  'UnprocessedKeys',
]);

const TRANSIENT = new Set([
  'InternalFailure',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
  'ServiceFailure',
  'ServiceFailureException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** An SDK error (or per-record error code) that says "too fast, try later". */
export function isThrottling(errorOrCode: unknown): boolean {
  const name = errorName(errorOrCode);
  if (name !== undefined && THROTTLING.has(name)) return true;
  const retryable = (errorOrCode as { $retryable?: { throttling?: boolean } } | undefined)?.$retryable;
  return retryable?.throttling === true;
}

/** An SDK error (or per-record error code) worth retrying: throttling, 5xx, a dropped connection. */
export function isRetryable(errorOrCode: unknown): boolean {
  if (isThrottling(errorOrCode)) return true;
  const name = errorName(errorOrCode);
  if (name !== undefined && TRANSIENT.has(name)) return true;
  const e = errorOrCode as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; code?: string };
  if (typeof errorOrCode === 'object' && errorOrCode !== null) {
    if (e.$retryable !== undefined) return true;
    if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
    if (e.code !== undefined && TRANSIENT.has(e.code)) return true;
  }
  return false;
}

function errorName(errorOrCode: unknown): string | undefined {
  if (typeof errorOrCode === 'string') return errorOrCode;
  if (typeof errorOrCode === 'object' && errorOrCode !== null) {
    const e = errorOrCode as { name?: unknown; code?: unknown };
    if (typeof e.name === 'string') return e.name;
  }
  return undefined;
}

/** What one attempt left undone: the items to send again and why AWS refused them. */
export interface PartialFailure<T> {
  readonly failed: readonly T[];
  /** One error code per failed item (e.g. `ProvisionedThroughputExceededException`). */
  readonly errorCodes: readonly string[];
}

/**
 * Sends `items` with `attempt`, then again only the items it reports as failed, waiting a
 * full-jitter backoff between attempts, at most `policy.maxAttempts` times. A whole-request error is
 * retried the same way when retryable (throttling, 5xx) and rethrown at once otherwise. Throws an
 * {@link AwsAdapterError} (with `cause`, and `throttled` when throttling was the reason) when items are
 * still refused after the last attempt.
 */
export async function sendRetryingFailed<T>(
  what: string,
  items: readonly T[],
  attempt: (pending: readonly T[]) => Promise<PartialFailure<T>>,
  policy: RetryPolicy,
  deps: RetryDeps = {},
): Promise<void> {
  const wait = deps.sleep ?? sleep;
  const random = deps.random ?? Math.random;
  let pending = items;
  let lastError: unknown;
  let lastCodes: readonly string[] = [];
  for (let n = 1; n <= policy.maxAttempts && pending.length > 0; n++) {
    if (n > 1) await wait(fullJitterDelay(n - 1, policy, random));
    try {
      const result = await attempt(pending);
      pending = result.failed;
      lastCodes = result.errorCodes;
      lastError = undefined;
    } catch (error) {
      if (!isRetryable(error)) {
        throw new AwsAdapterError(`${what} failed: ${describeError(error)}`, { cause: error });
      }
      lastError = error;
    }
  }
  if (pending.length === 0) return;
  const throttled =
    lastError !== undefined ? isThrottling(lastError) : lastCodes.some((c) => isThrottling(c));
  const reason = lastError !== undefined ? describeError(lastError) : summarizeCodes(lastCodes);
  throw new AwsAdapterError(
    `${what}: ${pending.length} of ${items.length} item(s) not accepted after ${policy.maxAttempts} attempt(s) (${reason})`,
    { cause: lastError ?? { errorCodes: lastCodes }, throttled },
  );
}

/** `name: message` of an error, for messages (SDK messages hold no record data). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function summarizeCodes(codes: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].map(([c, n]) => `${n}× ${c}`).join(', ') || 'no error code';
}
