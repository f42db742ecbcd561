import { auditPolicy, type FoundPolicy, findPolicyDocuments, UNSCOPED_ACTION_ALLOW_LIST } from './iam-audit';
import { environment, type SynthesizedStack, synthEnvironment } from './test-support';

let stacks: Record<string, SynthesizedStack>;

beforeAll(() => {
  stacks = {
    dev: synthEnvironment(environment('dev')).tf,
    prod: synthEnvironment(environment('prod')).tf,
    'dev+analytics': synthEnvironment(
      environment('dev', (raw) => {
        raw.analytics = {
          enabled: true,
          ownerArn: 'arn:aws:quicksight:us-east-1:111122223333:group/default/analysts',
          vpcConnectionArn: 'arn:aws:quicksight:us-east-1:111122223333:vpcConnection/tributary',
        };
      }),
    ).tf,
  };
});

const doc = (statement: Record<string, unknown>, resourceType = 'aws_iam_role_policy'): FoundPolicy => ({
  where: 'test',
  resourceType,
  document: { Statement: [statement] },
});

describe('the IAM audit itself', () => {
  it.each([
    [{ Effect: 'Allow', Action: '*', Resource: ['arn:aws:s3:::b'] }, /wildcard action "\*"/],
    [{ Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::b'] }, /wildcard action "s3:\*"/],
    [{ Effect: 'Allow', Action: ['s3:Get*'], Resource: ['arn:aws:s3:::b'] }, /wildcard action/],
    [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }, /unscoped resource/],
    [
      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: ['arn:aws:dynamodb:*:*:table/x'] },
      /not a scoped ARN/,
    ],
    [{ Effect: 'Allow', NotAction: ['iam:PassRole'], Resource: ['arn:aws:s3:::b'] }, /NotAction/],
    [
      { Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: ['*'] },
      /needs a cloudwatch:namespace/,
    ],
    [
      { Effect: 'Allow', Action: ['s3:GetObject'], Principal: { AWS: '*' }, Resource: ['arn:aws:s3:::b/*'] },
      /every principal/,
    ],
  ])('rejects %j', (statement, problem) => {
    const problems = auditPolicy(doc(statement)).map((v) => v.problem);
    expect(problems.join('\n')).toMatch(problem);
  });

  it('accepts scoped statements, Deny guards, key policies and allow-listed actions with their conditions', () => {
    expect(
      auditPolicy(
        doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${'$'}{aws_s3_bucket.x.arn}/a/*`] }),
      ),
    ).toEqual([]);
    expect(
      auditPolicy(doc({ Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:*'], Resource: ['*'] })),
    ).toEqual([]);
    expect(
      auditPolicy(doc({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['*'] }, 'aws_kms_key')),
    ).toEqual([]);
    expect(
      auditPolicy(
        doc({
          Effect: 'Allow',
          Action: ['cloudwatch:PutMetricData'],
          Resource: ['*'],
          Condition: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
        }),
      ),
    ).toEqual([]);
  });

  it('documents a reason for every allow-listed action', () => {
    for (const entry of Object.values(UNSCOPED_ACTION_ALLOW_LIST))
      expect(entry.reason.length).toBeGreaterThan(20);
  });
});

describe('every IAM policy document of the synthesized stacks', () => {
  it.each(['dev', 'prod', 'dev+analytics'])('%s: no wildcard action, no unscoped resource', (name) => {
    const tf = stacks[name]!;
    const policies = findPolicyDocuments(tf);
    // 11 role policies + 11 trust policies + the key policy + 5 bucket policies.
    expect(policies.length).toBeGreaterThanOrEqual(28);
    const rolePolicies = Object.keys(tf.resource.aws_iam_role_policy ?? {});
    expect(policies.filter((p) => p.resourceType === 'aws_iam_role_policy')).toHaveLength(
      rolePolicies.length,
    );
    const violations = policies.flatMap(auditPolicy);
    expect(violations).toEqual([]);
  });

  it('gives every function its own role', () => {
    const tf = stacks.dev!;
    const roles = Object.values(tf.resource.aws_lambda_function ?? {}).map((f) => f.role);
    expect(new Set(roles).size).toBe(roles.length);
    expect(roles).toHaveLength(6);
  });
});
