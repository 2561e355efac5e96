import { runAction } from '@build-release-run/action-kit';
import { main } from './main.ts';

await runAction(main);
