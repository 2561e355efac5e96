/**
 * CI must run exactly what the README tells a newcomer to run: its set-up and
 * test commands are the first two shell blocks under "## Developing".
 */
import { expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

it('.ci/run runs the README set-up and test commands', async () => {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const developing = readme.slice(readme.indexOf('## Developing'));
  const commands = [...developing.matchAll(/```sh\n([^`]+?)\n```/g)].map((match) => (match[1] as string).trim());
  expect(commands.length).toBeGreaterThanOrEqual(2);
  const ci = (await readFile(path.join(root, '.ci/run'), 'utf8')).split('\n').map((line) => line.trim());
  for (const command of commands.slice(0, 2)) expect(ci).toContain(command);
});
