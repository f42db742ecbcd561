import { startCollector } from '../collector/test/start-collector';
import { type BatchAnswer, createSegmentBatchSender } from './segment-batch-sender';

const noWait = { sleep: async () => {} };

describe('createSegmentBatchSender against a listening collector', () => {
  it('reports what the collector accepted and rejected, batch by batch', async () => {
    // Prepare
    const collector = await startCollector();
    const answers: BatchAnswer[] = [];
    const sender = createSegmentBatchSender(
      { endpoint: collector.url, writeKey: 'key-web', batchSize: 3, tolerateRejectedBatches: true },
      { ...noWait, onAnswer: (a) => answers.push(a) },
    );
    try {
      // Act: 3 valid, then 3 with no identifier at all (a batch the collector refuses as a whole), then 1
      for (let i = 0; i < 3; i++) await sender.add({ type: 'track', userId: `u-${i}`, event: 'Clicked' });
      for (let i = 0; i < 3; i++) await sender.add({ type: 'track', event: 'Orphan' });
      await sender.add({ type: 'identify', userId: 'u-9', traits: { email: 'nine@x.io' } });
      await sender.flush();
      // Assess
      expect(answers.map((a) => [a.calls, a.accepted, a.rejected.length])).toEqual([
        [3, 3, 0],
        [3, 0, 3],
        [1, 1, 0],
      ]);
      expect(sender.sent()).toBe(4);
      expect(collector.log.appendedCount()).toBe(4);
    } finally {
      await collector.close();
    }
  });

  it('fails on a refused batch unless told to tolerate it, and on a wrong write key always', async () => {
    const collector = await startCollector();
    try {
      const strict = createSegmentBatchSender({ endpoint: collector.url, writeKey: 'key-web' }, noWait);
      await strict.add({ type: 'track', event: 'Orphan' });
      await expect(strict.flush()).rejects.toThrow(/collector answered 400/);
      const wrongKey = createSegmentBatchSender(
        { endpoint: collector.url, writeKey: 'nope', tolerateRejectedBatches: true },
        noWait,
      );
      await wrongKey.add({ type: 'track', userId: 'u', event: 'x' });
      await expect(wrongKey.flush()).rejects.toThrow(/collector answered 401/);
    } finally {
      await collector.close();
    }
  });
});
