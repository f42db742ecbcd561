// Jest ignores `testTimeout` inside a project entry; integration and e2e tests start real servers,
// emulators and child processes, so their default is set here instead (files may still raise it).
jest.setTimeout(120_000);
