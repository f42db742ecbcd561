import type { ImportSink } from './import-csv';
import {
  createSegmentBatchSender,
  type SegmentBatchConfig,
  type SegmentBatchDeps,
} from './segment-batch-sender';
import { toSegmentIdentify } from './segment-identify';

export { type SegmentBatchConfig, type SegmentBatchDeps, SegmentSendError } from './segment-batch-sender';

/**
 * Sends imported events as Segment `identify` calls to a collector's `/v1/batch`, one batch at a
 * time (the importer waits while a batch is in flight). Rejected rows are not sent.
 */
export function createSegmentBatchSink(
  config: SegmentBatchConfig,
  deps: SegmentBatchDeps = {},
): ImportSink & { close(): Promise<void>; sent(): number } {
  const sender = createSegmentBatchSender(config, deps);
  return {
    event: (event) => sender.add(toSegmentIdentify(event)),
    rejected() {},
    close: () => sender.flush(),
    sent: () => sender.sent(),
  };
}
