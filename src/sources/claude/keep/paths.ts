// Where teamtop keeps its copies of Claude Code teams (see index.ts for the layout): teamtop's own
// state directory, and one directory per Claude Code home inside it.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';

export { teamtopStateDir } from '../../../files/state-dir.js';

/** The home's real path (so ~/.claude and a link to it share one key), or its absolute path when it cannot be resolved. */
export function realHome(claudeDir: string): string {
  try {
    return realpathSync.native(claudeDir);
  } catch {
    return resolve(claudeDir);
  }
}

/**
 * The directory name of one Claude Code home: its last path component, readable (`.claude` →
 * `claude`, anything but letters, digits, `_` and `-` → `_`), then 12 hex digits of the sha256 of
 * its real path, which tell apart homes with the same last component (`/home/a/.claude`,
 * `/home/b/.claude`).
 */
export function homeKey(realClaudeDir: string): string {
  const readable = basename(realClaudeDir).replace(/^\.+/, '').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'home';
  const digest = createHash('sha256').update(realClaudeDir).digest('hex').slice(0, 12);
  return `${readable}-${digest}`;
}
