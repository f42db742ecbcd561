import { type TransactWriteItem, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { AwsAdapterError } from './aws-adapter-error';
import type { DynamoDeps } from './dynamodb-batch';
import { DEFAULT_RETRY_POLICY, describeError, fullJitterDelay, isRetryable, sleep } from './retry';

/** DynamoDB's TransactWriteItems limit. */
export const TRANSACT_MAX_ITEMS = 100;

/** Outcome of a transaction: `failedConditions` lists the items (by index) whose condition failed. */
export type TransactResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'condition';
      readonly failedConditions: readonly number[];
      /** False when the service named no reasons and every conditional item is listed as a guess. */
      readonly exact: boolean;
    };

/**
 * Runs TransactWriteItems (all or nothing). A failed condition is an expected outcome, answered as
 * `{ ok: false, failedConditions }` (indexes of the items whose condition failed, from the
 * cancellation reasons; every conditional item when the service gives none). Transaction conflicts
 * with a concurrent transaction and throttling are retried with full-jitter backoff; anything else
 * throws an {@link AwsAdapterError}.
 */
export async function transactWrite(
  deps: DynamoDeps,
  items: readonly TransactWriteItem[],
): Promise<TransactResult> {
  if (items.length === 0) return { ok: true };
  if (items.length > TRANSACT_MAX_ITEMS) {
    throw new AwsAdapterError(
      `a transaction holds at most ${TRANSACT_MAX_ITEMS} writes, got ${items.length}`,
    );
  }
  const policy = deps.retry ?? DEFAULT_RETRY_POLICY;
  const wait = deps.sleep ?? sleep;
  let lastError: unknown;
  for (let n = 1; n <= policy.maxAttempts; n++) {
    if (n > 1) await wait(fullJitterDelay(n - 1, policy, deps.random));
    try {
      await deps.dynamodb.send(new TransactWriteItemsCommand({ TransactItems: [...items] }));
      return { ok: true };
    } catch (error) {
      lastError = error;
      const name = (error as { name?: string }).name;
      if (name === 'TransactionCanceledException') {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
        if (failed.length > 0)
          return { ok: false, reason: 'condition', failedConditions: failed, exact: true };
        const codes = reasons.map((r) => r.Code ?? 'None');
        const transient = codes.every((c) =>
          ['None', 'TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded'].includes(c),
        );
        if (reasons.length === 0) {
          // No reasons given (some emulators): treat as a failed condition of every conditional item.
          const conditional = items.flatMap((it, i) =>
            (it.Put?.ConditionExpression ??
              it.Update?.ConditionExpression ??
              it.Delete?.ConditionExpression ??
              it.ConditionCheck) !== undefined
              ? [i]
              : [],
          );
          if (conditional.length > 0)
            return { ok: false, reason: 'condition', failedConditions: conditional, exact: false };
        }
        if (transient) continue;
        throw new AwsAdapterError(`TransactWriteItems cancelled: ${codes.join(', ')}`, { cause: error });
      }
      if (
        name === 'TransactionConflictException' ||
        name === 'TransactionInProgressException' ||
        isRetryable(error)
      )
        continue;
      throw new AwsAdapterError(`TransactWriteItems failed: ${describeError(error)}`, { cause: error });
    }
  }
  throw new AwsAdapterError(
    `TransactWriteItems failed after ${policy.maxAttempts} attempts: ${describeError(lastError)}`,
    {
      cause: lastError,
      throttled: true,
    },
  );
}
