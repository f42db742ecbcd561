import type { Identifier } from '../../../contracts/identifier';
import {
  createIdentifierFilter,
  extractIdentifiers,
  type IdentityConfig,
} from '../../../processors/identity';
import { decodeRecord, type PipelineInput } from '../../../processors/pipeline';

/** The normalized identifiers of the valid events among `inputs`, as identity resolution reads them. */
export function appliedIdentifiers(inputs: readonly PipelineInput[], config: IdentityConfig): Identifier[] {
  const filter = createIdentifierFilter(config);
  const out = new Map<string, Identifier>();
  for (const input of inputs) {
    const decoded = decodeRecord(input);
    if (!decoded.ok) continue;
    for (const id of extractIdentifiers(decoded.event, config.previousIdType, filter).identifiers) {
      out.set(`${id.type}#${id.value}`, id);
    }
  }
  return [...out.values()];
}
