// The dependency rules of the README's architecture section, checked in CI (`npm run lint:deps`).
// Folders under src/: foundations (integrations and shared plumbing) and capabilities (features).
const FOUNDATIONS = '(camunda|commands|events|mirror|config|problem|database|http|logging|uploads)';
const CAPABILITIES =
  '(audit|deployments|identity|process-definitions|process-instances|tasks|health|idempotency|incidents|messages|metrics|sync|variables|workers)';

module.exports = {
  forbidden: [
    {
      name: 'foundation-imports-capability',
      comment:
        'Foundations know no feature. Allowed: who a caller is (identity/caller.ts, a contract every layer names) and the ' +
        'database module listing every entity (entities live in the capability that owns them).',
      severity: 'error',
      from: { path: `^src/${FOUNDATIONS}/`, pathNot: '\\.spec\\.ts$' },
      to: { path: `^src/${CAPABILITIES}/`, pathNot: ['^src/identity/caller\\.ts$', '\\.entity\\.ts$'] },
    },
    {
      name: 'entities-only-from-database',
      comment: 'Of the capabilities, foundations may name entities only from the database module.',
      severity: 'error',
      from: { path: `^src/${FOUNDATIONS}/`, pathNot: ['^src/database/', '\\.spec\\.ts$'] },
      to: { path: `^src/${CAPABILITIES}/.+\\.entity\\.ts$` },
    },
    {
      name: 'auth-depends-on-identity-only',
      comment: 'The guard every route passes depends on no capability but identity/, which says who the caller is.',
      severity: 'error',
      from: { path: '^src/auth/', pathNot: '\\.spec\\.ts$' },
      to: { path: `^src/${CAPABILITIES}/`, pathNot: '^src/identity/' },
    },
    {
      name: 'engine-rest-only-in-camunda',
      comment: 'Only camunda/ speaks engine-rest: axios, the external-task client and the engine JSON types stay there.',
      severity: 'error',
      from: { pathNot: '^src/camunda/' },
      to: { path: ['^node_modules/(axios|camunda-external-task-client-js)/', '^src/camunda/engine-dto\\.ts$'] },
    },
    {
      name: 'amqp-only-in-events',
      comment: 'Only events/ speaks AMQP.',
      severity: 'error',
      from: { pathNot: '^(src/events/|test/|bench/)' },
      to: { path: '^node_modules/amqplib/' },
    },
    {
      name: 'opentelemetry-sdk-only-in-telemetry',
      comment:
        'The SDK, its exporter and instrumentations are started in src/telemetry/ (before the app loads, see main.ts); elsewhere only @opentelemetry/api (and core for suppressTracing) is used.',
      severity: 'error',
      from: { pathNot: '^src/telemetry/' },
      to: { path: '^node_modules/@opentelemetry/(sdk-|exporter-|instrumentation|resources)' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle means two modules cannot be understood, tested or changed apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'reachable-from-main',
      comment: 'A module the running gateway never loads is dead code (specs, type declarations and the migration CLI data source aside).',
      severity: 'error',
      from: { path: '^src/main\\.ts$' },
      to: { path: '^src/', pathNot: ['\\.spec\\.ts$', '\\.d\\.ts$', '^src/main\\.ts$', '^src/database/data-source\\.ts$'], reachable: false },
    },
    {
      name: 'specs-stay-out-of-production',
      comment: 'Production code never imports a spec.',
      severity: 'error',
      from: { pathNot: '\\.spec\\.ts$' },
      to: { path: '\\.spec\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
