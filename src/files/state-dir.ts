// teamtop's own state directory: its log, and its kept copies of Claude Code teams.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * `$XDG_STATE_HOME/teamtop`, else `~/.local/state/teamtop`. A relative XDG_STATE_HOME is ignored,
 * as the XDG spec asks: it would name a different directory in every working directory.
 */
export function teamtopStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state');
  return join(base, 'teamtop');
}
