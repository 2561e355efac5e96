import { runAction } from '@build-release-run/action-kit';
import { TOKEN_USE, main } from './main.ts';

await runAction(main, TOKEN_USE);
