import {
  BUCKET_ROLES,
  type DeploymentScope,
  dtPartitionPrefix,
  EVENT_COLUMNS,
  FUNCTION_NAMES,
  FUNCTIONS,
  GLUE_TABLES,
  glueDatabaseName,
  identifierKey,
  LeaseItem,
  profileEventSk,
  ResourceNameError,
  resourceNames,
  segmentMembershipKeys,
  TABLE_ROLES,
  TABLES,
  ttlEpochSeconds,
} from './aws-resources';
import { CanonicalEvent } from './canonical-event';

describe('resourceNames', () => {
  it('names every resource <prefix>-<environment>-<role>, buckets with the account id', () => {
    const names = resourceNames({ prefix: 'tributary', environment: 'dev', accountId: '111122223333' });
    expect(names.tables.profiles).toBe('tributary-dev-profiles');
    expect(names.stream).toBe('tributary-dev-events');
    expect(names.functions['stream-processor']).toBe('tributary-dev-stream-processor');
    expect(names.buckets?.lake).toBe('tributary-dev-lake-111122223333');
    expect(names.glueDatabase).toBe('tributary_dev');
    expect(Object.keys(names.tables)).toEqual([...TABLE_ROLES]);
  });

  it('keeps the longest bucket name within S3 limits', () => {
    const names = resourceNames({
      prefix: 'abcdefghijkl',
      environment: 'abcdefghij',
      accountId: '111122223333',
    });
    for (const role of BUCKET_ROLES) expect(names.buckets![role].length).toBeLessThanOrEqual(63);
  });

  it('defaults the prefix and leaves buckets out without an account id', () => {
    const names = resourceNames({ environment: 'prod' });
    expect(names.base).toBe('tributary-prod');
    expect(names.buckets).toBeUndefined();
  });

  it.each([
    [{ environment: 'Prod' }, /environment: must be lower-case/],
    [{ environment: 'a-very-long-env' }, /environment/],
    [{ environment: 'dev', prefix: '' }, /prefix/],
  ])('rejects %j with the field path', (scope, message) => {
    expect(() => resourceNames(scope as DeploymentScope)).toThrow(ResourceNameError);
    expect(() => resourceNames(scope as DeploymentScope)).toThrow(message);
  });

  it('makes Glue database names from dashes', () => {
    expect(glueDatabaseName('acme-cdp', 'eu-prod')).toBe('acme_cdp_eu_prod');
  });
});

describe('keys', () => {
  it('follows the single-table shapes of the design notes', () => {
    expect(identifierKey('email', 'a@b.c')).toBe('ID#email#a@b.c');
    expect(profileEventSk('2024-05-01T12:00:00.000Z', 'e1')).toBe('EVENT#2024-05-01T12:00:00.000Z#e1');
    expect(segmentMembershipKeys('high-value', 'p1')).toEqual([
      { PK: 'SEGMENT#high-value', SK: 'PROFILE#p1' },
      { PK: 'PROFILE#p1', SK: 'SEGMENT#high-value' },
    ]);
    expect(ttlEpochSeconds(Date.UTC(2024, 0, 1), 365)).toBe(Date.UTC(2024, 0, 1) / 1000 + 365 * 86400);
  });

  it('declares every key attribute a table or index uses, and TTL on timeline and state tables', () => {
    expect(TABLES.profiles.ttlAttribute).toBe('ttl');
    expect(TABLES.state.ttlAttribute).toBe('ttl');
    expect(TABLES.checkpoints.partitionKey).toEqual({ name: 'leaseKey', type: 'S' });
    expect(TABLES.identities.globalSecondaryIndexes[0]?.partitionKey.name).toBe('profileId');
  });

  it('parses a KCL-shaped lease item', () => {
    const lease = LeaseItem.parse({
      leaseKey: 'shardId-000000000000',
      leaseCounter: 3,
      checkpoint: '4959...',
    });
    expect(lease.checkpointSubSequenceNumber).toBe(0);
    expect(LeaseItem.safeParse({ leaseKey: '', leaseCounter: 0, checkpoint: 'x' }).success).toBe(false);
  });
});

describe('catalog schemas', () => {
  it('has one events column per canonical-event field', () => {
    const fields = Object.keys(CanonicalEvent.shape).filter((f) => f !== 'integrations');
    const keys = EVENT_COLUMNS.map((c) => c.jsonKey ?? c.name);
    expect(keys.sort()).toEqual(fields.sort());
  });

  it('builds dt partition prefixes from the event date', () => {
    const late = GLUE_TABLES.find((t) => t.name === 'late_events')!;
    expect(dtPartitionPrefix(late, '2024-05-01T23:59:59.999Z')).toBe('late_events/dt=2024-05-01/');
  });

  it('catalogs events, identity links and merges, CRM contacts, late events and segment changes', () => {
    expect(GLUE_TABLES.map((t) => t.name).sort()).toEqual(
      [
        'crm_contacts',
        'events',
        'identity_links',
        'identity_merges',
        'late_events',
        'segment_changes',
      ].sort(),
    );
    for (const t of GLUE_TABLES) {
      expect(t.prefix.endsWith('/')).toBe(true);
      expect(t.columns.every((c) => /^[a-z][a-z0-9_]*$/.test(c.name))).toBe(true);
    }
  });
});

describe('function catalogue', () => {
  it('lists each function with its entry file under runtime/lambda/', () => {
    for (const name of FUNCTION_NAMES) expect(FUNCTIONS[name].entry).toBe(`runtime/lambda/${name}.ts`);
    expect(FUNCTIONS.collector.routes).toContain('POST /v1/batch');
  });
});
