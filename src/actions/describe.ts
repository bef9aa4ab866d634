// One line per effect, for confirmation dialogs and --dry-run. Ids are named as id cells name them
// (shownId): what is hidden in one shows.
import type { Effect } from '../ports/effects.js';
import type { FormatAdapter } from '../model/snapshot.js';
import { shownId } from '../safety/sanitize.js';

const short = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 100 ? `${s.slice(0, 99)}…` : s;
};

/** One line per effect, for confirmation dialogs and --dry-run; the team's format may say it its way. */
export function describeEffect(e: Effect, format?: Pick<FormatAdapter, 'describeEffect'>): string {
  const own = format?.describeEffect?.(e);
  if (own !== undefined) return own;
  switch (e.kind) {
    case 'ack-alert': return `acknowledge alert ${e.alertId} (hidden until the problem changes: other facts or a higher severity)`;
    case 'append-message': {
      const to = Array.isArray(e.message.to) ? e.message.to.map(shownId).join(', ') : shownId(e.message.to);
      const fields = Object.entries(e.message.fields ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
      return `mailbox: append ${e.message.type} (${e.message.priority}) to ${to}${fields ? ` ${fields}` : ''}`;
    }
    case 'update-task': {
      const parts: string[] = [];
      if (e.removeDependency) parts.push(`stop waiting on ${shownId(e.removeDependency)}`);
      for (const [k, v] of Object.entries(e.set ?? {})) parts.push(`${k} = ${short(v)}`);
      return `manifest: task ${shownId(e.taskId)}: ${parts.join(', ')}`;
    }
    case 'set-teammate-status': return `teammates: ${shownId(e.teammateId)} status = ${e.status}`;
    case 'set-team-status': return `team.json: team_status = ${e.status}`;
    case 'write-checkpoint': return `checkpoints/${shownId(e.teammateId)}-${e.stamp}.json and ${shownId(e.teammateId)}-latest.json`;
    case 'write-record': return `write ${shownId(e.file)}`;
    case 'git-commit-wip': return `git (${e.repo}): commit all work in progress: "${short(e.message)}"`;
    case 'git-tag': return `git (${e.repo}): tag ${shownId(e.name)}`;
    case 'git-backup': return `git (${e.repo}): save HEAD, uncommitted changes and untracked files under ${shownId(e.ref)}`;
    case 'git-reset': return `git (${e.repo}): reset --hard to ${e.target} and remove untracked files (the state root is kept)`;
    case 'git-restore': return `git (${e.repo}): restore ${shownId(e.ref)} exactly (commits, uncommitted changes, untracked files)`;
    case 'copy-dir': return `copy the team directory to ${shownId(e.to)}`;
  }
}
