// Preloaded into the Node processes an action runs (NODE_OPTIONS=--import),
// it records every INPUT_* variable the action's code reads, one name a
// line, in the file named by BRR_INPUT_PROBE. Tests use it to prove that
// each input declared in action.yml reaches the code.
import { appendFileSync } from 'node:fs';

const probeFile = process.env['BRR_INPUT_PROBE'];
if (probeFile) {
  process.env = new Proxy(process.env, {
    get(target, key, receiver) {
      if (typeof key === 'string' && key.startsWith('INPUT_')) appendFileSync(probeFile, `${key}\n`);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}
