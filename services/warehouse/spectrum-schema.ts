import { z } from 'zod';
import { REDSHIFT_EXTERNAL_SCHEMA } from '../../contracts/aws-resources';

/**
 * The Spectrum schema a Redshift run reads the lake through: the Glue database mapped as an external
 * schema, with the role Redshift assumes to read the catalog, the lake objects and their key. Names
 * come from the deployment (`contracts/aws-resources.ts`); the role ARN is handed in by the entry file.
 * Every value lands in SQL text, so each is held to the characters its kind of name allows.
 */
export const SpectrumSchemaConfig = z.object({
  /** The Redshift schema (the sources' `schema: lake`). */
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,126}$/, 'a lower-case Redshift identifier')
    .default(REDSHIFT_EXTERNAL_SCHEMA),
  /** The Glue database (`glueDatabaseName`: `[a-z0-9_]`). */
  glueDatabase: z.string().regex(/^[a-z0-9_]{1,255}$/, 'a Glue database name ([a-z0-9_])'),
  /** The role Redshift assumes for Spectrum (the warehouse stack's role). */
  iamRoleArn: z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'an IAM role ARN'),
});
export type SpectrumSchemaConfig = z.input<typeof SpectrumSchemaConfig>;

/** `create external schema if not exists … from data catalog database '…' iam_role '…'`. */
export function externalSchemaSql(input: SpectrumSchemaConfig): string {
  const { schema, glueDatabase, iamRoleArn } = SpectrumSchemaConfig.parse(input);
  return `create external schema if not exists ${schema} from data catalog database '${glueDatabase}' iam_role '${iamRoleArn}'`;
}
