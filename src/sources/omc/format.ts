// oh-my-claudecode's `omc team` teams, as the rest of teamtop asks about them: heartbeats of their
// own, no sequences or acknowledgements (a message waits for its delivery), no deliverables.
import { join } from 'node:path';
import type { FormatAdapter, TeamCapabilities } from '../../model/snapshot.js';
import { ACTIONS_FILE, type Effect } from '../../ports/effects.js';
import { ReadAggregator } from '../answer-aggregator.js';

import { adaptOmcPlan } from './plan.js';
import { shownId } from '../../safety/sanitize.js';

export const OMC_CAPABILITIES: TeamCapabilities = {
  actions: {
    complete: 'omc completes a task only through its claim holder (transition-task-status with the claim\'s token)',
    resume: 'omc teams have no team status: there is nothing to resume (halt writes shutdown requests; start the workers again with omc)',
  },
  heartbeats: true,
  contextTokens: false,
  deliverables: false,
  sequences: false,
};

/** Effects on omc's files, said as the `omc team api` operations that carry them out. */
function describeEffect(e: Effect): string | undefined {
  if (e.kind === 'append-message') {
    const to = Array.isArray(e.message.to) ? e.message.to.map(shownId).join(', ') : e.message.to === 'all' ? 'every worker' : shownId(e.message.to);
    return e.message.type === 'shutdown_request' ? `omc team api write-shutdown-request: ${to}` : `omc team api send-message to ${to} (from leader-fixed)`;
  }
  if (e.kind === 'update-task') {
    const parts = [...(e.removeDependency ? [`update-task: blocked_by without ${shownId(e.removeDependency)}`] : []), ...(e.set?.status === 'pending' ? ['release-task-claim'] : [])];
    return `omc team api ${parts.join(', then ')} (task ${shownId(e.taskId)})`;
  }
  return undefined;
}

export const OMC_FORMAT: FormatAdapter = {
  id: 'omc',
  label: 'oh-my-claudecode team',
  capabilities: OMC_CAPABILITIES,
  unackedWord: 'undelivered',
  ackTimeoutMs: (_m, t) => t.omcUndeliveredMinutes * 60_000,
  messageFlags: () => [],
  messageState: (m) => (m.extra.read === true ? 'delivered' : m.extra.notified_at ? 'notified' : 'undelivered'),
  newAggregator: () => new ReadAggregator(),
  adaptPlan: adaptOmcPlan,
  describeEffect,
  recordsDir: (team) => team.recordsDir ?? join(team.dir, 'teamtop'),
  reportsDir: (team) => join(team.recordsDir ?? join(team.dir, 'teamtop'), 'reports'),
  stateFiles: (team) => [
    { path: join(team.dir, 'config.json'), name: 'config.json' },
    { path: join(team.dir, 'tasks'), name: 'tasks', dir: true },
    { path: join(team.dir, 'mailbox'), name: 'mailbox', dir: true },
    { path: join(team.dir, 'workers'), name: 'workers', dir: true },
    { path: join(team.dir, 'events.jsonl'), name: 'events.jsonl' },
    ...(team.recordsDir ? [{ path: join(team.recordsDir, ACTIONS_FILE), name: ACTIONS_FILE }] : []),
  ],
  // Every mailbox file is read whole: the mailbox in memory is complete.
  completeMailbox: async (team) => ({ team, skippedLines: 0 }),
  historyNote: 'Only events.jsonl and the mailboxes are a history: config.json, the heartbeats and the task files hold their current state, so activity and task alerts use the latest values throughout; a mailbox records when a message was delivered, so delivery is placed in time.',
  hints: { repo: 'pass --repo DIR', baseRef: '--base-ref' },
};
