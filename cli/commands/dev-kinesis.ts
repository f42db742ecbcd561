import { hostname } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { LocalRuntimeConfig } from '../../runtime/local/config';
import { openKinesisLocalLog } from '../../runtime/local/kinesis-local-log';
import type { LocalLog } from '../../runtime/local/local-log';

/**
 * The event log of `cdp dev --log kinesis`: the stream and lease table of the configuration, with SDK
 * clients configured by the SDK's own environment (`AWS_REGION`, `AWS_ENDPOINT_URL[_KINESIS|_DYNAMODB]`,
 * the default credential chain). HTTP/1.1 handler: kinesis-local speaks nothing else, and the runtime
 * never uses SubscribeToShard (the one HTTP/2 call). The lease owner is this host's data folder (locked
 * to one process, and where the state of the checkpoints lives), so a restart keeps its leases.
 */
export async function openDevKinesisLog(config: LocalRuntimeConfig): Promise<LocalLog> {
  if (config.kinesisStream === undefined || config.leaseTable === undefined)
    throw new Error('log "kinesis" needs kinesisStream and leaseTable');
  const common = {
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
  };
  return openKinesisLocalLog(
    {
      streamName: config.kinesisStream,
      leaseTableName: config.leaseTable,
      owner: `${hostname()}:${config.dataDir}`,
    },
    { kinesis: new KinesisClient(common), dynamodb: new DynamoDBClient(common) },
  );
}
