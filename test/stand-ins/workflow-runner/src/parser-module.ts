// @actions/workflow-parser imports its JSON schemas without the import
// attribute Node requires (`with { type: 'json' }`; actions/languageservices
// issue #387), so a plain `import` of it fails under Node. A synchronous
// load hook adds the attribute for that package's JSON files only, and the
// module is imported lazily so that importing this package has no side effect.
import { registerHooks } from 'node:module';

import type * as Workflows from '@actions/workflow-parser';
import type * as Actions from '@actions/workflow-parser/actions/index';

type ParserModule = typeof Workflows;
type ActionsModule = typeof Actions;

let hooked = false;

function addJsonAttributeHook(): void {
  if (hooked) return;
  hooked = true;
  try {
    registerHooks({
      load(url, context, nextLoad) {
        if (url.endsWith('.json') && url.includes('/@actions/workflow-parser/')) {
          return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
        }
        return nextLoad(url, context);
      },
    });
  } catch {
    // Jest refuses module hooks; its own ESM loader links JSON modules
    // without asking for the attribute, so nothing is needed there.
  }
}

export async function loadWorkflowParser(): Promise<ParserModule & ActionsModule> {
  addJsonAttributeHook();
  const [workflows, actions] = await Promise.all([
    import('@actions/workflow-parser'),
    import('@actions/workflow-parser/actions/index'),
  ]);
  return { ...workflows, ...actions };
}
