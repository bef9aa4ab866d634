// Claude Code agent teams' registration (~/.claude).
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SourceFormat } from '../format-registry.js';
import { ClaudeSource, looksLikeClaudeDir } from './source.js';

export const CLAUDE: SourceFormat = {
  id: 'claude',
  summary: 'claude (Claude Code\'s ~/.claude)',
  teamsLabel: 'Claude Code',
  repoOptions: true,
  open: (root, o) => new ClaudeSource(root, o.now, { repo: o.repo, baseRef: o.baseRef }, o.stateDir, o.tmuxEnv),
  detect: looksLikeClaudeDir,
  defaultRoot: (env) => join(env.HOME ?? homedir(), '.claude'),
  demoRoot: (demoDir) => join(demoDir, '.claude'),
  demo: { epochKeys: ['createdAt', 'joinedAt'], jsonStringKeys: ['text'], afterCopy: ageTaskFiles },
};

/** Task files' modification time is an activity signal: give the demo's an age. */
const TASK_AGE_MS = 90 * 60_000;

async function ageTaskFiles(root: string, now: number): Promise<void> {
  const tasks = join(root, 'tasks');
  let teams: string[];
  try {
    teams = await fsp.readdir(tasks);
  } catch {
    return;
  }
  const when = new Date(now - TASK_AGE_MS);
  for (const t of teams) {
    for (const f of await fsp.readdir(join(tasks, t)).catch(() => [] as string[])) {
      await fsp.utimes(join(tasks, t, f), when, when);
    }
  }
}
