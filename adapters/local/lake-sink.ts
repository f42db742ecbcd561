import type { LakeRecord, LakeWriter } from '../../contracts/ports/lake-writer';
import type { Sink } from '../../processors/engine/connectors/sink';

/** An engine sink that hands rows to a `LakeWriter` (which batches them into files). */
export function createLakeSink(lake: LakeWriter): Sink<LakeRecord> {
  return { createWriter: () => ({ write: (records) => lake.write(records) }) };
}
