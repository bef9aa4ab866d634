// Claude Code agent teams, as the rest of teamtop asks about them: no heartbeats, sequences or
// acknowledgements of their own (reading a message is its answer), protocol messages in `text`,
// fewer things an action can express (see plan.ts).
import { join, resolve } from 'node:path';
import type { FormatAdapter, TeamCapabilities, TeamSnapshot } from '../../model/snapshot.js';
import { ACTIONS_FILE, type Effect } from '../../ports/effects.js';
import { ReadAggregator } from '../answer-aggregator.js';
import { adaptClaudePlan } from './plan.js';
import { shownId } from '../../safety/sanitize.js';

export const CLAUDE_CAPABILITIES: TeamCapabilities = {
  actions: {
    resume: 'Claude Code teams have no team status: there is nothing to resume (halt sends shutdown requests)',
  },
  heartbeats: false,
  // From the transcripts (when a member's can be found).
  contextTokens: true,
  deliverables: false,
  sequences: false,
};

/**
 * Where teamtop kept its own records of a Claude Code team before they moved to its state
 * directory (Claude Code deletes teams/<team> when the session ends): read once, to migrate.
 */
export const TEAMTOP_DIR = 'teamtop';

/** Where a team's task files are: tasks/<team> beside teams/<team> (or the kept copy's tasks/). */
export function tasksDirOf(team: Pick<TeamSnapshot, 'dir' | 'id' | 'files'>): string {
  return team.files?.tasks ?? resolve(team.dir, '..', '..', 'tasks', team.id);
}

/**
 * Task edits name the task files Claude Code reads (a removed dependency edits both sides, as the
 * writer does: see taskEdits in writer.ts); everything else reads as usual.
 */
function describeEffect(e: Effect): string | undefined {
  if (e.kind !== 'update-task') return undefined;
  const parts = [...(e.removeDependency ? [`blockedBy without ${shownId(e.removeDependency)}`] : []), ...Object.entries(e.set ?? {}).map(([k, v]) => `${k} = ${String(v)}`)];
  const other = e.removeDependency ? `; task file ${shownId(e.removeDependency)}.json: blocks without ${shownId(e.taskId)}` : '';
  return `task file ${shownId(e.taskId)}.json: ${parts.join(', ')}${other}`;
}

export const CLAUDE_FORMAT: FormatAdapter = {
  id: 'claude',
  label: 'Claude Code team',
  capabilities: CLAUDE_CAPABILITIES,
  unackedWord: 'unread',
  ackTimeoutMs: (_m, t) => t.claudeUnreadMinutes * 60_000,
  messageFlags: () => [],
  messageState: (m) => (m.extra.read === true ? 'read' : 'unread'),
  newAggregator: () => new ReadAggregator(),
  adaptPlan: adaptClaudePlan,
  describeEffect,
  recordsDir: (team) => team.recordsDir ?? join(team.dir, TEAMTOP_DIR),
  // Not inside ~/.claude (Claude Code's), not in teams/<t> (deleted with the team): with teamtop's records.
  reportsDir: (team) => join(team.recordsDir ?? join(team.dir, TEAMTOP_DIR), 'reports'),
  stateFiles: (team) => [
    { path: join(team.dir, 'config.json'), name: 'config.json' },
    { path: join(team.dir, 'inboxes'), name: 'inboxes', dir: true },
    { path: tasksDirOf(team), name: 'tasks', dir: true },
    { path: join(team.recordsDir ?? join(team.dir, TEAMTOP_DIR), ACTIONS_FILE), name: ACTIONS_FILE },
  ],
  // Every inbox is read whole: the mailbox in memory is already complete.
  completeMailbox: async (team) => ({ team, skippedLines: 0 }),
  historyNote: 'Only the inboxes are a history: the members in config.json and the task files hold their current state, so activity and task alerts use the latest values throughout (except what teamtop\'s own actions changed, which its action log keeps as it was before each action); an inbox records whether a message was read, not when, so a message read now counts as read from the moment it was sent.',
  hints: { repo: 'pass --repo DIR', baseRef: '--base-ref' },
};
