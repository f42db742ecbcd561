import type { CanonicalIdentity } from '../../../contracts/canonical-event';
import {
  createIdentityResolver,
  createIdentityStoreWriter,
  createMemoryIdentityStore,
  type IdentityStore,
} from '../../../processors/identity';
import { identityEvent } from '../../../processors/identity/test-support';

/** Resolves events with the real identity resolver and persists them into a memory identity store. */
export async function identityStoreAfter(
  events: readonly { eventId: string; timestamp: string; identity: CanonicalIdentity }[],
): Promise<{ store: IdentityStore; profileIds: string[] }> {
  const store = createMemoryIdentityStore();
  const resolver = createIdentityResolver();
  const writer = createIdentityStoreWriter({ now: () => 0 }, { store, resolver });
  const profileIds: string[] = [];
  for (const e of events) {
    const resolved = resolver.resolve(identityEvent(e.eventId, e.timestamp, e.identity));
    if (!resolved.ok) throw new Error(`event ${e.eventId} did not resolve: ${resolved.reason}`);
    const persisted = await writer.writeResolution(resolved.value, e.eventId);
    if (!persisted.ok) throw new Error(`event ${e.eventId} was not persisted: ${persisted.reason}`);
    profileIds.push(resolved.value.profileId);
  }
  return { store, profileIds };
}
