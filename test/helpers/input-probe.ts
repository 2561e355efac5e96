// Preloaded into the Node processes an action runs (NODE_OPTIONS=--import),
// it records every INPUT_* variable the action's code reads, one name a
// line, in the file named by BRR_INPUT_PROBE. Tests use it to prove that
// each input declared in action.yml reaches the code.
//
// Only direct reads count (`process.env.INPUT_X`, `process.env[name]`):
// copying or enumerating the environment (`{ ...process.env }`, spawning a
// child with it, Object.entries) reads every variable through
// [[GetOwnProperty]] first, and such reads are not recorded.
import { appendFileSync } from 'node:fs';

const probeFile = process.env['BRR_INPUT_PROBE'];
if (probeFile) {
  let described: string | symbol | undefined;
  process.env = new Proxy(process.env, {
    getOwnPropertyDescriptor(target, key) {
      described = key;
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    get(target, key, receiver) {
      const enumerated = key === described;
      described = undefined;
      if (!enumerated && typeof key === 'string' && key.startsWith('INPUT_')) appendFileSync(probeFile, `${key}\n`);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}
