import { scheduleSegmentRefresh } from './segment-refresh';

describe('scheduleSegmentRefresh', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('runs on every interval, never two refreshes at once, and keeps going after a failure', async () => {
    // Prepare
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const errors: unknown[] = [];
    const release: (() => void)[] = [];
    const schedule = scheduleSegmentRefresh(
      { intervalMs: 1000 },
      {
        refresh: () => {
          runs++;
          active++;
          maxActive = Math.max(maxActive, active);
          return new Promise<void>((resolve, reject) => {
            release.push(() => {
              active--;
              if (runs === 1) reject(new Error('warehouse down'));
              else resolve();
            });
          });
        },
        onError: (e) => errors.push(e),
      },
    );

    // Act: three intervals pass while the first refresh is still running, then it fails.
    jest.advanceTimersByTime(3000);
    release.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(1000);
    const runsAfterFailure = runs;
    release.shift()?.();
    await schedule.stop();

    // Assess
    expect(maxActive).toBe(1);
    expect(errors).toHaveLength(1);
    expect(runsAfterFailure).toBe(2);
  });
});
