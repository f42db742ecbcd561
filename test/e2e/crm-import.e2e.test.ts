import { join } from 'node:path';
import { Analytics } from '@segment/analytics-node';
import { IdentitiesResponse } from '../../services/profile-api/api-schemas';
import { type CdpDevProcess, REPO_ROOT, spawnCdp, startCdpDev } from './support/cdp-dev-process';
import { profileApiReader } from './support/profile-api-reader';

jest.setTimeout(240_000);

const CRM_FILE = join(REPO_ROOT, 'test', 'fixtures', 'crm-import', 'basic.csv');

/** Sends live calls through the Segment Node SDK and waits until they are acknowledged. */
async function sendLive(dev: CdpDevProcess, calls: (a: Analytics) => void): Promise<void> {
  const analytics = new Analytics({ writeKey: dev.writeKey, host: dev.url, flushAt: 10, maxRetries: 3 });
  const errors: unknown[] = [];
  analytics.on('error', (e) => errors.push(e));
  calls(analytics);
  await analytics.closeAndFlush({ timeout: 30_000 });
  expect(errors).toEqual([]);
}

describe('a CRM import into a running cdp dev joins the profiles live events built', () => {
  let dev: CdpDevProcess;
  let api: ReturnType<typeof profileApiReader>;

  beforeAll(async () => {
    dev = await startCdpDev({ env: { CDP_CHECKPOINT_INTERVAL_MS: '1000' } });
    api = profileApiReader(dev.url, dev.readKey);
  });
  afterAll(async () => {
    expect(await dev?.stop()).toBe(0);
  });

  it('same e-mail → one profile, with the CRM traits and crm_id as an identifier, in either order', async () => {
    // Prepare: Alice is live before the import; Bob logs in only after it
    const now = Date.now();
    await sendLive(dev, (a) => {
      a.identify({
        userId: 'live-alice',
        traits: { email: 'Alice@Example.com', plan: 'pro' },
        timestamp: new Date(now - 60_000),
      });
      a.track({
        userId: 'live-alice',
        event: 'Product Viewed',
        properties: { sku: 'p-1' },
        timestamp: new Date(now - 50_000),
      });
    });
    await api.waitForProfile('user_id', 'live-alice', (v) => v.profile.totalEvents === 2);

    // Act: the CRM export through the importer, into the running collector
    const run = spawnCdp(
      ['import', 'crm', CRM_FILE, '--to', dev.url, '--write-key', dev.writeKey, '--no-progress'],
      {},
    );
    const code = await run.exited;
    expect({ code, output: run.output() }).toEqual({ code: 0, output: expect.stringContaining('sent') });
    await sendLive(dev, (a) => {
      a.identify({
        userId: 'live-bob',
        traits: { email: 'bob.stone@example.com' },
        timestamp: new Date(now - 30_000),
      });
    });

    // Assess: Alice's live profile now holds the CRM contact
    const alice = await api.waitForProfile(
      'crm_id',
      'C-1001',
      (v) =>
        v.profile.identifiers.some((i) => i.type === 'user_id') && v.profile.traits.company !== undefined,
    );
    expect(alice.profile.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'crm_id', value: 'C-1001' },
        { type: 'email', value: 'alice@example.com' },
        { type: 'user_id', value: 'live-alice' },
      ]),
    );
    expect(alice.profile.traits).toMatchObject({
      plan: 'pro',
      name: 'Alice Martin',
      company: 'Acme Corp',
      crm_lifetime_value: 1234.5,
    });
    const byUser = await api.get('/v1/profiles/lookup?type=user_id&value=live-alice');
    expect(byUser.location).toBe(`/v1/profiles/${alice.profile.profileId}`);

    // Bob: imported first, then seen live with the same (differently written) e-mail
    const bob = await api.waitForProfile('user_id', 'live-bob', (v) =>
      v.profile.identifiers.some((i) => i.type === 'crm_id'),
    );
    expect(bob.profile.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'crm_id', value: 'C-1002' },
        { type: 'email', value: 'bob.stone@example.com' },
        { type: 'user_id', value: 'live-bob' },
      ]),
    );
    expect(bob.profile.traits).toMatchObject({ company: 'Stone & Sons, Ltd.' });
    const byCrm = await api.get('/v1/profiles/lookup?type=crm_id&value=C-1002');
    expect(byCrm.location).toBe(`/v1/profiles/${bob.profile.profileId}`);

    // the identities route says which link brought the CRM id in
    const identities = IdentitiesResponse.parse(
      (await api.get(`/v1/profiles/${alice.profile.profileId}/identities`)).json,
    );
    const crm = identities.identities.find((i) => i.identifier.type === 'crm_id');
    expect(crm?.anchor).toBe(false);
    expect(crm?.joinedBy).toBeDefined();
  });
});
