/** The job summary a maintainer reads: what went out, what it replaced, how to roll back. */
import type { ReleaseConfig, ReleaseManifest } from '@build-release-run/release-format';

export interface SummaryFacts {
  manifest: ReleaseManifest;
  config: ReleaseConfig;
  environment: string;
  releaseUrl: string;
  deploymentId: number;
  replacedTag: string | undefined;
  /** e.g. octo/app */
  repository: string;
  /** The workflow file name, when known, for the rollback command. */
  workflow: string | undefined;
}

export function renderSummary(facts: SummaryFacts): string {
  const { manifest, config, environment } = facts;
  const keys = Object.keys(config.values).sort();
  const lines = [
    `## Deployed ${manifest.tag} to ${environment}`,
    '',
    '| | |',
    '| --- | --- |',
    `| Release | [${manifest.tag}](${facts.releaseUrl}) (version ${manifest.version}) |`,
    `| Build digest | \`${manifest.build.digest}\` (verified) |`,
    `| Commit | \`${manifest.build.commit}\` (${manifest.build.ref}) |`,
    `| Config keys | ${keys.length === 0 ? '_none_' : keys.map((key) => `\`${key}\``).join(', ')} |`,
    `| Secret keys | ${config.secretKeys.length === 0 ? '_none_' : config.secretKeys.map((key) => `\`${key}\``).join(', ')} (values from the job's secrets, never shown) |`,
    `| Replaced | ${facts.replacedTag ?? '_nothing: first deploy of this environment_'} |`,
    `| Deployment | ${facts.deploymentId} |`,
    '',
  ];
  if (facts.replacedTag !== undefined) {
    const workflow = facts.workflow ?? '<this workflow>';
    lines.push(
      '### Roll back',
      '',
      `Deploy **${facts.replacedTag}** again: run this workflow from the Actions tab ("Run workflow") with tag \`${facts.replacedTag}\` (or \`previous\`) and environment \`${environment}\`, or:`,
      '',
      '```sh',
      `gh workflow run ${workflow} --repo ${facts.repository} -f tag=${facts.replacedTag} -f environment=${environment}`,
      '```',
      '',
    );
  }
  return lines.join('\n');
}
