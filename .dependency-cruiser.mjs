// The package boundaries, checked by `pnpm lint` (docs/architecture.md says
// why each rule exists). A package reaches another only by its declared name;
// product code never reaches test infrastructure; no module circle in product code.
const PACKAGE = '^(actions|packages|test/stand-ins)/([^/]+)/';

export default {
  forbidden: [
    {
      name: 'no-relative-import-across-packages',
      comment:
        "A package imports another by its name (declared in its package.json), never by a relative path into the other's folder.",
      severity: 'error',
      from: { path: PACKAGE },
      to: { dependencyTypes: ['local'], pathNot: '^$1/$2/' },
    },
    {
      name: 'no-relative-import-into-packages',
      comment: 'The root package (scripts, bench, end-to-end tests) and test/helpers import packages by name too.',
      severity: 'error',
      from: { path: '^(scripts|bench|test/helpers|test/[^/]+[.]ts$)' },
      to: { dependencyTypes: ['local'], path: '^(actions|packages|test/stand-ins)/' },
    },
    {
      name: 'no-relative-import-into-test-helpers',
      severity: 'error',
      from: { pathNot: '^test/helpers/' },
      to: { dependencyTypes: ['local'], path: '^test/helpers/' },
    },
    {
      name: 'product-never-imports-test-infrastructure',
      comment: 'What the actions ship must not contain the stand-ins or the test helpers.',
      severity: 'error',
      from: { path: '^(actions|packages)/[^/]+/src/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-undeclared-dependency',
      comment:
        "Every npm package a module imports is in its package's package.json (workspace packages: test/architecture.test.ts).",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'unknown'] },
    },
    {
      name: 'no-circular-in-product-code',
      comment: 'A circle of modules is one module in several files; type-only imports do not count.',
      severity: 'error',
      from: { path: '^(actions|packages)/[^/]+/src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|[.]bench|coverage)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
