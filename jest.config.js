/**
 * Two projects: `unit` (no network, no emulators, fast) and `integration`
 * (`*.integration.test.ts`: real emulators, real servers, real SDKs).
 * TypeScript is compiled by SWC, type checking is `npm run typecheck`.
 */
const transform = {
  // PGlite's CommonJS build (.cjs) loads node:fs with import(), which Jest's VM refuses: SWC makes it require().
  '/node_modules/@electric-sql/.+\\.cjs$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.venv/', '/cdktf.out/'],
  // ESM-only dependencies (content-disposition 3 under @fastify/swagger-ui, cookie 2 under light-my-request) are
  // compiled to CommonJS like our own code: Node 20 loads them with require(esm), Jest < Node 24.9 cannot.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie|@electric-sql/pglite)/)'],
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [
        ...common.testPathIgnorePatterns,
        '\\.integration\\.test\\.ts$',
        '\\.e2e\\.test\\.ts$',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.integration.test.ts', '<rootDir>/**/*.e2e.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
    },
  ],
};
