// Choosing the state source: the native team-state format, or Claude Code's ~/.claude
// (--source claude, --claude-dir DIR, or automatically when the root looks like one).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { NativeSource } from '../sources/native/source.js';
import { ClaudeSource, looksLikeClaudeDir } from '../sources/claude/source.js';
import type { StateSource } from '../sources/source.js';
import { resolveRoot } from './root.js';
import { UsageError } from './errors.js';

export const SOURCE_OPTIONS = {
  root: { type: 'string' },
  source: { type: 'string' },
  'claude-dir': { type: 'string' },
  repo: { type: 'string' },
  'base-ref': { type: 'string' },
} as const;

export const SOURCE_USAGE = `  --root DIR        the state root (or give it as the first argument)
  --source KIND     native (the team-state format) or claude (Claude Code's ~/.claude);
                    chosen automatically when the root looks like a .claude directory
  --claude-dir DIR  the Claude Code directory (default: $HOME/.claude); implies --source claude
  --repo DIR        Claude Code teams: the git work tree an abort backs up and rolls back
  --base-ref REF    Claude Code teams: what an abort rolls back to`;

export interface SourceChoice {
  root?: string;
  positional?: string;
  source?: string;
  'claude-dir'?: string;
  repo?: string;
  'base-ref'?: string;
}

/** `background`: index large mailboxes after the first frame (the TUI); headless commands wait. */
export async function createSource(v: SourceChoice, env: NodeJS.ProcessEnv = process.env, background = false): Promise<StateSource> {
  if (v.source !== undefined && v.source !== 'native' && v.source !== 'claude') {
    throw new UsageError(`--source is native or claude, not ${JSON.stringify(v.source)}`);
  }
  if (v.source === 'native' && v['claude-dir']) throw new UsageError('--claude-dir goes with --source claude');
  const claudeOpts = { repo: v.repo ? resolve(v.repo) : undefined, baseRef: v['base-ref'] };
  if (v.source === 'claude' || v['claude-dir']) {
    const dir = resolve(v['claude-dir'] ?? v.root ?? v.positional ?? join(env.HOME ?? homedir(), '.claude'));
    return new ClaudeSource(dir, Date.now, claudeOpts);
  }
  const root = resolveRoot(v.root, v.positional, env);
  if (v.source === undefined && (await looksLikeClaudeDir(root))) return new ClaudeSource(root, Date.now, claudeOpts);
  if (v.repo || v['base-ref']) throw new UsageError('--repo and --base-ref are for Claude Code teams (a native team names its repo in team.json)');
  return new NativeSource(root, Date.now, { background });
}
