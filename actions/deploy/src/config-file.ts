/**
 * RELEASE_CONFIG_FILE: the release's verified config, written for the deploy
 * command in the config.env format (release-format's serializeConfigEnv, the
 * writer of the released asset): one `KEY=VALUE` per line, secret keys as
 * `# secret KEY` comments, never a value. It lives in the deploy's own
 * temporary folder, apart from the unpacked build (whose files are the
 * release's), and is removed with it when the deploy ends.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ReleaseConfig, CONFIG_ASSET, serializeConfigEnv } from '@build-release-run/release-format';

export async function writeConfigFile(workDir: string, config: ReleaseConfig): Promise<string> {
  const folder = await mkdtemp(path.join(workDir, 'release-config-'));
  const file = path.join(folder, CONFIG_ASSET);
  await writeFile(file, serializeConfigEnv(config), { flag: 'wx', mode: 0o644 });
  return file;
}
