import { GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { IDENTIFIER_MAPPING_SK, TABLES } from '../../contracts/aws-resources';
import type { Identifier } from '../../contracts/identifier';
import {
  type IdentifierMapping,
  type IdentityStore,
  type IdentityStoreResult,
  type IdentityWrite,
  identifierPk,
  MAX_IDENTITY_TRANSACTION,
  profilePk,
} from '../../processors/identity/identity-store';
import type { IdentityLink, ProfileMerge } from '../../processors/identity/types';
import { AwsAdapterError } from './aws-adapter-error';
import { batchGetAll, type DynamoDeps, queryAll } from './dynamodb-batch';
import { transactWrite } from './dynamodb-transact';

/** The two tables identity outcomes live in (`identities` and `profiles` of `TABLES`). */
export interface DynamoDbIdentityStoreConfig {
  /** `ID#<type>#<value>` / `MAPPING` and `LINK#...` items; GSI `byProfile` on `profileId`. */
  readonly identitiesTable: string;
  /** `PROFILE#<into>` / `MERGE#<ts>#<eventId>` and `PROFILE#<from>` / `REDIRECT` items. */
  readonly profilesTable: string;
}

const KEYS = ['PK', 'SK'] as const;
const BY_PROFILE = TABLES.identities.globalSecondaryIndexes[0]!.name;
const REDIRECT_SK = 'REDIRECT';
const MARSHALL = { removeUndefinedValues: true } as const;
const linkSk = (other: Identifier) => `LINK#${other.type}#${other.value}`;
const mergeSk = (m: ProfileMerge) => `MERGE#${m.cause.timestamp}#${m.cause.eventId}`;

/** `ID#<type>#<value>` back to the identifier (types are snake_case, so the first `#` after the type splits). */
function identifierOfPk(pk: string): Identifier {
  const rest = pk.slice(3);
  const cut = rest.indexOf('#');
  return { type: rest.slice(0, cut), value: rest.slice(cut + 1) };
}

/**
 * The identity store on DynamoDB: mappings `ID#<type>#<value>` / `MAPPING` (`profileId`, `version`),
 * links stored under both ends, merges and redirects in the profiles table. `transact` is one
 * TransactWriteItems with `attribute_not_exists(PK)` / `version = :v` on mappings, answering
 * `conflict` with the key whose condition failed. Unconditional writes (links, merges, redirects) are
 * idempotent puts: a transaction of only those that needs more than 100 items (links are two) goes as
 * several transactions, which a retry after a crash completes.
 */
export function createDynamoDbIdentityStore(
  config: DynamoDbIdentityStoreConfig,
  deps: DynamoDeps,
): IdentityStore {
  const { identitiesTable, profilesTable } = config;

  /** The DynamoDB items of one write, with the mapping's partition key when conditional. */
  function itemsOf(w: IdentityWrite): { item: TransactWriteItem; key: string; conditional: boolean }[] {
    switch (w.kind) {
      case 'put-mapping': {
        const pk = identifierPk(w.identifier);
        const version = (w.expectedVersion ?? 0) + 1;
        return [
          {
            key: `${identitiesTable}|${pk}|${IDENTIFIER_MAPPING_SK}`,
            conditional: true,
            item: {
              Put: {
                TableName: identitiesTable,
                Item: marshall(
                  {
                    PK: pk,
                    SK: IDENTIFIER_MAPPING_SK,
                    profileId: w.profileId,
                    version,
                    updatedAt: w.updatedAt,
                    idType: w.identifier.type,
                    idValue: w.identifier.value,
                  },
                  MARSHALL,
                ),
                ...(w.expectedVersion === null
                  ? { ConditionExpression: 'attribute_not_exists(PK)' }
                  : {
                      ConditionExpression: 'version = :expected',
                      ExpressionAttributeValues: { ':expected': { N: String(w.expectedVersion) } },
                    }),
              },
            },
          },
        ];
      }
      case 'put-link':
        return [
          [w.link.from, w.link.to],
          [w.link.to, w.link.from],
        ].map(([end, other]) => {
          const pk = identifierPk(end!);
          const sk = linkSk(other!);
          return {
            key: `${identitiesTable}|${pk}|${sk}`,
            conditional: false,
            item: {
              Put: { TableName: identitiesTable, Item: marshall({ PK: pk, SK: sk, link: w.link }, MARSHALL) },
            },
          };
        });
      case 'put-merge': {
        const pk = profilePk(w.merge.into);
        const sk = mergeSk(w.merge);
        return [
          {
            key: `${profilesTable}|${pk}|${sk}`,
            conditional: false,
            item: {
              Put: { TableName: profilesTable, Item: marshall({ PK: pk, SK: sk, merge: w.merge }, MARSHALL) },
            },
          },
        ];
      }
      case 'put-redirect': {
        const pk = profilePk(w.from);
        return [
          {
            key: `${profilesTable}|${pk}|${REDIRECT_SK}`,
            conditional: false,
            item: {
              Put: {
                TableName: profilesTable,
                Item: marshall({ PK: pk, SK: REDIRECT_SK, to: w.to }, MARSHALL),
              },
            },
          },
        ];
      }
    }
  }

  return {
    async getMappings(identifiers) {
      const items = await batchGetAll(
        deps,
        identitiesTable,
        KEYS,
        identifiers.map((i) => ({ PK: { S: identifierPk(i) }, SK: { S: IDENTIFIER_MAPPING_SK } })),
      );
      return items.map((item, i): IdentifierMapping | undefined => {
        if (item === undefined) return undefined;
        const m = unmarshall(item) as { profileId: string; version: number; updatedAt: string };
        return {
          identifier: identifiers[i]!,
          profileId: m.profileId,
          version: m.version,
          updatedAt: m.updatedAt,
        };
      });
    },

    async listProfileIdentifiers(profileId) {
      const items = await queryAll(deps, {
        TableName: identitiesTable,
        IndexName: BY_PROFILE,
        KeyConditionExpression: 'profileId = :p AND SK = :mapping',
        ExpressionAttributeValues: { ':p': { S: profileId }, ':mapping': { S: IDENTIFIER_MAPPING_SK } },
      });
      return items.map((item) => identifierOfPk(item.PK!.S!));
    },

    async getLinks(identifier) {
      const items = await queryAll(deps, {
        TableName: identitiesTable,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :link)',
        ExpressionAttributeValues: { ':pk': { S: identifierPk(identifier) }, ':link': { S: 'LINK#' } },
        ConsistentRead: true,
      });
      return items.map((item) => unmarshall(item).link as IdentityLink);
    },

    async listMerges(profileId) {
      const items = await queryAll(deps, {
        TableName: profilesTable,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :merge)',
        ExpressionAttributeValues: { ':pk': { S: profilePk(profileId) }, ':merge': { S: 'MERGE#' } },
        ConsistentRead: true,
      });
      return items.map((item) => unmarshall(item).merge as ProfileMerge);
    },

    async getRedirect(profileId) {
      const res = await deps.dynamodb.send(
        new GetItemCommand({
          TableName: profilesTable,
          Key: { PK: { S: profilePk(profileId) }, SK: { S: REDIRECT_SK } },
          ConsistentRead: true,
        }),
      );
      return res.Item === undefined ? undefined : (unmarshall(res.Item).to as string);
    },

    async transact(writes): Promise<IdentityStoreResult> {
      if (writes.length > MAX_IDENTITY_TRANSACTION) {
        return { ok: false, reason: 'too-many-writes', count: writes.length };
      }
      const expanded = writes.flatMap(itemsOf);
      // One item twice: a mapping is a conflict (as in the memory store); identical idempotent puts are merged.
      const byKey = new Map<string, (typeof expanded)[number]>();
      for (const e of expanded) {
        if (byKey.has(e.key) && (e.conditional || byKey.get(e.key)!.conditional)) {
          return { ok: false, reason: 'conflict', key: e.key.split('|')[1]! };
        }
        byKey.set(e.key, e);
      }
      const items = [...byKey.values()];
      const hasConditions = items.some((e) => e.conditional);
      if (items.length > MAX_IDENTITY_TRANSACTION && hasConditions) {
        return { ok: false, reason: 'too-many-writes', count: items.length };
      }
      for (let i = 0; i < items.length; i += MAX_IDENTITY_TRANSACTION) {
        const chunk = items.slice(i, i + MAX_IDENTITY_TRANSACTION);
        const res = await transactWrite(
          deps,
          chunk.map((e) => e.item),
        );
        if (!res.ok) {
          const failed = chunk[res.failedConditions[0] ?? 0];
          if (failed === undefined || !failed.conditional) {
            throw new AwsAdapterError('an unconditional identity write was refused by a condition');
          }
          return { ok: false, reason: 'conflict', key: failed.key.split('|')[1]! };
        }
      }
      return { ok: true };
    },
  };
}
