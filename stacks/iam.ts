import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';

/** One IAM policy statement; `Resource` is always a list of ARNs (the IAM test rejects a bare `*`). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource?: readonly string[];
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An IAM policy document as the JSON string Terraform expects (tokens resolve inside it). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Allow statement helper. */
export function allow(
  sid: string,
  actions: readonly string[],
  resources: readonly string[],
): PolicyStatement {
  return { Sid: sid, Effect: 'Allow', Action: actions, Resource: resources };
}

/** A role a service assumes, with one inline least-privilege policy. */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  /** Depend on this (not the role) when a resource needs the permissions at creation time. */
  readonly policy: IamRolePolicy;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly name: string;
      /** Service principal(s) that assume the role. */
      readonly service: string | readonly string[];
      readonly statements: readonly PolicyStatement[];
      /** Only for services documented to send `aws:SourceAccount` when assuming a role (Scheduler). */
      readonly sourceAccount?: string;
    },
  ) {
    super(scope, id);
    const trust: PolicyStatement = {
      Effect: 'Allow',
      Principal: { Service: props.service },
      Action: ['sts:AssumeRole'],
      ...(props.sourceAccount === undefined
        ? {}
        : { Condition: { StringEquals: { 'aws:SourceAccount': props.sourceAccount } } }),
    };
    this.role = new IamRole(this, 'role', {
      name: props.name,
      assumeRolePolicy: policyDocument([trust]),
    });
    this.policy = new IamRolePolicy(this, 'policy', {
      name: `${props.name}-least-privilege`,
      role: this.role.id,
      policy: policyDocument(props.statements),
    });
  }
}
