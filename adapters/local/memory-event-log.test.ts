import type { CanonicalEvent } from '../../contracts/canonical-event';
import { createMemoryEventLog } from './memory-event-log';

function event(id: string): CanonicalEvent {
  return {
    eventId: id,
    type: 'track',
    eventName: 'e',
    timestamp: '2024-01-01T00:00:00.000Z',
    receivedAt: '2024-01-01T00:00:00.000Z',
    source: 'web',
    identity: { userId: 'u' },
    properties: {},
    traits: {},
    context: {},
  };
}

describe('createMemoryEventLog', () => {
  it('keeps records of one partition key in one shard, in order, with growing sequence numbers', async () => {
    const log = createMemoryEventLog({ shardCount: 3 });
    const acks = await log.append([
      { partitionKey: 'u1', event: event('1') },
      { partitionKey: 'u1', event: event('2') },
      { partitionKey: 'u2', event: event('3') },
    ]);
    expect(acks[0]?.shardId).toBe(acks[1]?.shardId);
    expect(Number(acks[1]?.sequenceNumber)).toBeGreaterThan(Number(acks[0]?.sequenceNumber));
    const inShard = log.records().filter((r) => r.shardId === log.shardOf('u1'));
    expect(inShard.filter((r) => r.partitionKey === 'u1').map((r) => r.event.eventId)).toEqual(['1', '2']);
    expect(log.appendedCount()).toBe(3);
  });

  it('drops the oldest records beyond the retention', async () => {
    const log = createMemoryEventLog({ shardCount: 1, retainPerShard: 2 });
    for (let i = 0; i < 10; i++) await log.append([{ partitionKey: 'k', event: event(String(i)) }]);
    expect(log.records().map((r) => r.event.eventId)).toEqual(['8', '9']);
    expect(log.appendedCount()).toBe(10);
  });
});
