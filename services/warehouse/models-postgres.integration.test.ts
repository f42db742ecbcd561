import { createPostgresWarehouse } from '../../adapters/local/postgres-warehouse';
import {
  findPostgresBin,
  type PostgresServer,
  postgresRequired,
  startPostgresServer,
} from '../../test/support/postgres-server';
import { warehouseModelSuite } from '../../test/support/warehouse-suite';

jest.setTimeout(180_000);

const available = findPostgresBin() !== undefined;
if (!available && !postgresRequired()) {
  console.warn('SKIPPED: PostgreSQL 15 binaries not found (set PG_BIN); with CI=true this fails');
}

(available || postgresRequired() ? describe : describe.skip)(
  'SQL models on a real PostgreSQL 15 server',
  () => {
    let server: PostgresServer | undefined;

    warehouseModelSuite(
      async () => {
        server = await startPostgresServer();
        return createPostgresWarehouse({ url: server.url });
      },
      { concurrency: 2 },
    );

    afterAll(async () => {
      await server?.stop();
    });
  },
);
