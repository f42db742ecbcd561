/**
 * Audits IAM policy documents found anywhere in a synthesized stack: Allow statements must name
 * actions exactly (no `*`, `service:*` or partial wildcards, no NotAction) and scope resources to ARNs
 * (no bare `*`, no `*` account/region/service). The few actions AWS serves only with `Resource: *`
 * are allow-listed here with the reason; some also need a condition.
 */

/** Actions that have no resource-level permissions in AWS, so `Resource: *` is the only option. */
export const UNSCOPED_ACTION_ALLOW_LIST: Readonly<
  Record<string, { reason: string; requiredConditionKey?: string }>
> = {
  'xray:PutTraceSegments': {
    reason: 'X-Ray write APIs have no resource-level permissions (Lambda active tracing)',
  },
  'xray:PutTelemetryRecords': {
    reason: 'X-Ray write APIs have no resource-level permissions (Lambda active tracing)',
  },
  'cloudwatch:PutMetricData': {
    reason: 'PutMetricData has no resource-level permissions; scoped by the cloudwatch:namespace condition',
    requiredConditionKey: 'cloudwatch:namespace',
  },
  'redshift-data:DescribeStatement': {
    reason:
      "Data API statement actions have no resource-level permissions; AWS limits them to the caller's own statements",
  },
  'redshift-data:GetStatementResult': {
    reason:
      "Data API statement actions have no resource-level permissions; AWS limits them to the caller's own statements",
  },
  'redshift-data:CancelStatement': {
    reason:
      "Data API statement actions have no resource-level permissions; AWS limits them to the caller's own statements",
  },
};

/** Resource types whose `policy` is a key policy, where `Resource: *` means the key itself. */
const KEY_POLICY_TYPES = new Set(['aws_kms_key', 'aws_kms_key_policy']);

/** One policy document and where it was found. */
export interface FoundPolicy {
  readonly where: string;
  readonly resourceType: string;
  readonly document: { Statement: unknown };
}

/** One rule a statement breaks. */
export interface PolicyViolation {
  readonly where: string;
  readonly sid: string;
  readonly problem: string;
}

const asList = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string];

/** Every JSON string in a synthesized stack that is a policy document (has `Statement`). */
export function findPolicyDocuments(tf: { resource?: object; data?: object }): FoundPolicy[] {
  const found: FoundPolicy[] = [];
  const visit = (value: unknown, where: string, resourceType: string) => {
    if (typeof value === 'string') {
      const text = value.trim();
      if (!text.startsWith('{') || !text.includes('"Statement"')) return;
      const doc = JSON.parse(text) as { Statement?: unknown };
      if (doc.Statement !== undefined)
        found.push({ where, resourceType, document: doc as { Statement: unknown } });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        visit(v, `${where}[${i}]`, resourceType);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`, resourceType);
    }
  };
  for (const block of ['resource', 'data'] as const) {
    for (const [type, byId] of Object.entries(tf[block] ?? {})) {
      for (const [id, body] of Object.entries(byId as object)) visit(body, `${type}.${id}`, type);
    }
  }
  return found;
}

/** Whether an ARN (or Terraform reference) is scoped: not `*`, and no `*` service, region or account. */
function isScopedResource(resource: string): boolean {
  if (resource === '*') return false;
  if (resource.startsWith('${')) return true;
  if (!resource.startsWith('arn:')) return false;
  const [, partition, service, region, account, ...rest] = resource.split(':');
  if ([partition, service].some((p) => p === undefined || p === '' || p.includes('*'))) return false;
  if (region === '*' || account === '*') return false;
  const name = rest.join(':');
  return name !== '' && name !== '*';
}

/** Every rule the statements of one document break (empty when the document is least-privilege). */
export function auditPolicy(policy: FoundPolicy): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  const statements = Array.isArray(policy.document.Statement)
    ? policy.document.Statement
    : [policy.document.Statement];
  statements.forEach((raw: Record<string, unknown>, i) => {
    const sid = typeof raw.Sid === 'string' ? raw.Sid : `#${i}`;
    const fail = (problem: string) => violations.push({ where: policy.where, sid, problem });
    if (raw.Effect !== 'Allow') return; // Deny statements only narrow access; a wildcard there is stronger.
    if (raw.NotAction !== undefined) fail('Allow with NotAction grants everything else');
    if (raw.NotResource !== undefined) fail('Allow with NotResource grants every other resource');
    const actions = asList(raw.Action);
    if (actions.length === 0 && raw.NotAction === undefined) fail('no Action');
    for (const action of actions) {
      if (action.includes('*')) fail(`wildcard action "${action}"`);
    }
    const principal = raw.Principal as Record<string, unknown> | string | undefined;
    if (principal === '*' || (typeof principal === 'object' && asList(principal.AWS).includes('*'))) {
      fail('Allow to every principal');
    }
    const isTrust = actions.every((a) => a.startsWith('sts:AssumeRole')) && principal !== undefined;
    const resources = asList(raw.Resource);
    if (resources.length === 0 && !isTrust) fail('no Resource');
    for (const resource of resources) {
      if (isScopedResource(resource)) continue;
      if (resource === '*' && KEY_POLICY_TYPES.has(policy.resourceType)) continue;
      if (resource === '*') {
        const conditions = (raw.Condition ?? {}) as Record<string, Record<string, unknown>>;
        const conditionKeys = Object.values(conditions).flatMap((c) => Object.keys(c));
        for (const action of actions) {
          const allowed = UNSCOPED_ACTION_ALLOW_LIST[action];
          if (allowed === undefined) fail(`"${action}" on unscoped resource "*"`);
          else if (allowed.requiredConditionKey && !conditionKeys.includes(allowed.requiredConditionKey)) {
            fail(`"${action}" on "*" needs a ${allowed.requiredConditionKey} condition`);
          }
        }
        continue;
      }
      fail(`resource "${resource}" is not a scoped ARN`);
    }
  });
  return violations;
}
