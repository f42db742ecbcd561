import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AwsAdapterError } from './aws-adapter-error';
import { describeError } from './retry';

/** How objects are encrypted at rest: the bucket's KMS key when given, else S3-managed keys. */
export interface S3ObjectsConfig {
  readonly kmsKeyId?: string;
}

/** The S3 client, built by the entry file. */
export interface S3ObjectsDeps {
  readonly s3: Pick<S3Client, 'send'>;
}

/** An object's bytes and metadata as read. */
export interface S3ObjectBody {
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
}

/** Small, typed S3 operations the adapters and handlers share. */
export interface S3Objects {
  /** Writes an object, always server-side encrypted. */
  put(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options?: { contentType?: string; contentEncoding?: string },
  ): Promise<void>;
  /** Reads an object; `undefined` when there is no such key. */
  get(bucket: string, key: string): Promise<S3ObjectBody | undefined>;
  /** Every key under a prefix, in key order (pages of `pageSize`, 1,000 by default, followed). */
  listKeys(bucket: string, prefix: string, options?: { pageSize?: number }): Promise<string[]>;
  /** Deletes keys (1,000 per request); a missing key is no error. */
  delete(bucket: string, keys: readonly string[]): Promise<void>;
}

/** Creates {@link S3Objects}. */
export function createS3Objects(config: S3ObjectsConfig, deps: S3ObjectsDeps): S3Objects {
  const fail = (what: string, error: unknown): never => {
    throw new AwsAdapterError(`${what} failed: ${describeError(error)}`, { cause: error });
  };
  return {
    async put(bucket, key, body, options = {}) {
      try {
        await deps.s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
            ...(options.contentEncoding === undefined ? {} : { ContentEncoding: options.contentEncoding }),
            ...(config.kmsKeyId === undefined
              ? { ServerSideEncryption: 'AES256' as const }
              : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: config.kmsKeyId }),
          }),
        );
      } catch (error) {
        fail(`PutObject s3://${bucket}/${key}`, error);
      }
    },
    async get(bucket, key) {
      try {
        const res = await deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = await res.Body?.transformToByteArray();
        return {
          body: Buffer.from(bytes ?? new Uint8Array()),
          contentType: res.ContentType,
          contentEncoding: res.ContentEncoding,
        };
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        return fail(`GetObject s3://${bucket}/${key}`, error);
      }
    },
    async listKeys(bucket, prefix, options = {}) {
      const keys: string[] = [];
      let token: string | undefined;
      try {
        do {
          const res = await deps.s3.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              ...(options.pageSize === undefined ? {} : { MaxKeys: options.pageSize }),
              ...(token ? { ContinuationToken: token } : {}),
            }),
          );
          for (const o of res.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
          token = res.IsTruncated ? res.NextContinuationToken : undefined;
        } while (token !== undefined);
      } catch (error) {
        fail(`ListObjectsV2 s3://${bucket}/${prefix}`, error);
      }
      return keys.sort();
    },
    async delete(bucket, keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const chunk = keys.slice(i, i + 1000);
        try {
          const res = await deps.s3.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
            }),
          );
          if ((res.Errors ?? []).length > 0) {
            throw new AwsAdapterError(`DeleteObjects left ${res.Errors!.length} key(s) in ${bucket}`, {
              cause: res.Errors,
            });
          }
        } catch (error) {
          if (error instanceof AwsAdapterError) throw error;
          fail(`DeleteObjects in ${bucket}`, error);
        }
      }
    },
  };
}
