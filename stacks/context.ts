import type { BucketRole, ResourceNames } from '../contracts/aws-resources';
import type { EnvironmentConfig } from './config';

/** Names with bucket names resolved (the stack always knows the account id, as a token). */
export type StackNames = ResourceNames & { readonly buckets: Readonly<Record<BucketRole, string>> };

/** What every capability construct of one environment shares. */
export interface StackContext {
  readonly config: EnvironmentConfig;
  readonly names: StackNames;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The customer-managed key's ARN (every store and stream uses it). */
  readonly keyArn: string;
  /** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
  readonly arn: (service: string, resource: string) => string;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
}
