import { AwsAdapterError } from './aws-adapter-error';
import { fullJitterDelay, isRetryable, isThrottling, sendRetryingFailed } from './retry';

const POLICY = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

describe('fullJitterDelay', () => {
  test('is uniform below min(max, base·2ⁿ⁻¹)', () => {
    expect([1, 2, 3, 4].map((n) => fullJitterDelay(n, POLICY, () => 0.5))).toEqual([50, 100, 125, 125]);
    expect(fullJitterDelay(3, POLICY, () => 0)).toBe(0);
  });
});

describe('sendRetryingFailed', () => {
  test('resends only the failed items until none is left', async () => {
    // Prepare
    const sent: number[][] = [];
    const attempt = async (items: readonly number[]) => {
      sent.push([...items]);
      const failed = sent.length === 1 ? items.filter((n) => n % 2 === 0) : [];
      return { failed, errorCodes: failed.map(() => 'InternalFailure') };
    };

    // Act
    await sendRetryingFailed('test', [1, 2, 3, 4], attempt, POLICY, { sleep: async () => {} });

    // Assess
    expect(sent).toEqual([
      [1, 2, 3, 4],
      [2, 4],
    ]);
  });

  test('a non-retryable request error stops at once, with the error as cause', async () => {
    // Prepare
    const validation = Object.assign(new Error('bad'), { name: 'ValidationException' });
    let calls = 0;

    // Act
    const error = await sendRetryingFailed(
      'test',
      [1],
      async () => {
        calls++;
        throw validation;
      },
      POLICY,
      { sleep: async () => {} },
    ).catch((e: unknown) => e);

    // Assess
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(AwsAdapterError);
    expect((error as Error).cause).toBe(validation);
  });

  test('throttling to the last attempt is reported as throttled', async () => {
    // Prepare
    const throttle = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });

    // Act
    const error = (await sendRetryingFailed(
      'test',
      [1],
      async () => {
        throw throttle;
      },
      POLICY,
      { sleep: async () => {} },
    ).catch((e: unknown) => e)) as AwsAdapterError;

    // Assess
    expect(error.throttled).toBe(true);
    expect(error.cause).toBe(throttle);
  });
});

describe('error classes', () => {
  test('throttling and transient errors are retryable, client errors are not', () => {
    expect(isThrottling('ProvisionedThroughputExceededException')).toBe(true);
    expect(isRetryable({ name: 'X', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryable({ name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } })).toBe(
      false,
    );
  });
});
