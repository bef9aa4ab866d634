// Names and places omc uses: the leader's mailbox identity, and the git work tree a project is in
// (omc keeps a project's state in <cwd>/.omc only inside one).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const OMC_LEADER = 'leader-fixed';

/** The nearest directory at or above `dir` holding a .git (the work tree's top level), or null. */
export function gitTopOf(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return null;
  }
}
