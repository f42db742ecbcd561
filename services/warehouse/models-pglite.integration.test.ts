import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import { warehouseModelSuite } from '../../test/support/warehouse-suite';

jest.setTimeout(180_000);

describe('SQL models on PGlite', () => {
  warehouseModelSuite(() => createPgliteWarehouse());
});
