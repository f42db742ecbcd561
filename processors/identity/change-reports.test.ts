import fc from 'fast-check';
import type { Identifier } from '../../contracts/identifier';
import { createIdentityResolver } from './resolver';
import { identityEvent as ev } from './test-support';
import type { IdentityChanges } from './types';

/**
 * Property: the changes `resolve` and `unmerge` report (merges, reassignments, splits) are exactly
 * what a consumer needs. A mirror that only applies them (and learns brand-new identifiers from the
 * event) always agrees with the resolver on every identifier's profile, whatever the arrival order.
 */

const key = (i: Identifier) => `${i.type}:${i.value}`;

function apply(mirror: Map<string, string>, changes: IdentityChanges): void {
  for (const m of changes.merges) {
    for (const [k, p] of mirror) if (m.from.includes(p)) mirror.set(k, m.into);
  }
  for (const r of changes.reassignments) mirror.set(key(r.identifier), r.to);
}

const step = fc.record({
  person: fc.integer({ min: 0, max: 3 }),
  device: fc.integer({ min: 0, max: 2 }),
  minute: fc.integer({ min: 0, max: 9 }),
  user: fc.boolean(),
  email: fc.boolean(),
  device2: fc.boolean(),
  unmerge: fc.integer({ min: 0, max: 9 }),
});

describe('identity change reports', () => {
  it('let a consumer mirror every profile from merges, reassignments and splits alone', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const r = createIdentityResolver();
        const mirror = new Map<string, string>();
        steps.forEach((s, i) => {
          const event = ev(`e${i}`, `2026-02-01T10:0${s.minute}:00.000Z`, {
            anonymousId: `d${s.device}`,
            userId: s.user ? `u${s.person}` : undefined,
            email: s.email ? `p${s.person}@x.io` : undefined,
            externalIds: s.device2 ? [{ type: 'crm_id', value: `c${s.device}` }] : undefined,
          });
          const res = r.resolve(event);
          if (!res.ok) throw new Error(res.reason);
          apply(mirror, res.value);
          for (const id of res.value.identifiers) {
            if (!mirror.has(key(id))) mirror.set(key(id), r.lookup(id)!.profileId);
          }
          if (s.unmerge === 0) {
            const cut = r.unmerge({
              kind: 'identifier',
              identifier: { type: 'anonymous_id', value: `d${s.device}` },
            });
            if (cut.ok) apply(mirror, cut.value);
          }
          for (const [k, p] of mirror) {
            const [type, value] = [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)];
            expect([k, r.lookup({ type, value })?.profileId]).toEqual([k, p]);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});
