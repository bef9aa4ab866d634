// Which state root to use: --root DIR or the first positional argument, else $TEAMTOP_STATE,
// else ./.team-state.
import { resolve } from 'node:path';

export const DEFAULT_ROOT = '.team-state';

export function resolveRoot(flag: string | undefined, positional: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? positional ?? env.TEAMTOP_STATE ?? DEFAULT_ROOT);
}
