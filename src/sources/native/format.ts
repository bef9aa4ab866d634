// The native team-state format, as the rest of teamtop asks about it (docs/state-format.md).
import { join } from 'node:path';
import type { FormatAdapter, TeamCapabilities, TeamSnapshot } from '../../model/snapshot.js';
import type { Message } from '../../model/types.js';
import { MailboxAggregator } from '../../model/mailbox-aggregator.js';
import { readRegularText } from '../../files/read.js';
import { parseMessageLine } from './mailbox-log.js';
import { TEAM_FILES } from './files.js';

export const NATIVE_CAPABILITIES: TeamCapabilities = {
  actions: {},
  heartbeats: true,
  contextTokens: true,
  deliverables: true,
  sequences: true,
};

/**
 * The team with every message of mailbox.jsonl (the live view keeps only a recent window of a
 * long mailbox in memory): read again from the start when part of it is missing.
 */
async function completeMailbox(team: TeamSnapshot): Promise<{ team: TeamSnapshot; skippedLines: number }> {
  if (team.mailbox.recentStart === 0) return { team, skippedLines: 0 };
  let text: string;
  try {
    text = (await readRegularText(join(team.dir, TEAM_FILES.mailbox), Number.MAX_SAFE_INTEGER)).text;
  } catch {
    return { team, skippedLines: 0 };
  }
  const recent: Message[] = [];
  let skipped = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = parseMessageLine(line, i + 1);
    if (typeof m === 'string') skipped++;
    else recent.push(m);
  });
  return { team: { ...team, mailbox: { ...team.mailbox, recent, recentStart: 0 } }, skippedLines: skipped };
}

export const NATIVE_FORMAT: FormatAdapter = {
  id: 'native',
  label: 'team-state format',
  capabilities: NATIVE_CAPABILITIES,
  unackedWord: 'unacknowledged',
  ackTimeoutMs: (m, t) => m.timeoutMs ?? t.ackTimeoutSeconds * 1000,
  messageFlags: (m) => (m.ackRequired ? ['ack required'] : []),
  messageState: () => null,
  newAggregator: () => new MailboxAggregator(),
  recordsDir: (team) => team.dir,
  reportsDir: (_team, root) => join(root, 'reports'),
  stateFiles: (team) => [TEAM_FILES.team, TEAM_FILES.teammates, TEAM_FILES.manifest, TEAM_FILES.mailbox, TEAM_FILES.events, TEAM_FILES.actions]
    .map((name) => ({ path: join(team.dir, name), name })),
  completeMailbox,
  historyNote: 'Only mailbox.jsonl and events.jsonl are a history: teammates.json, team-manifest.json and the checkpoints hold their current state, so heartbeat, context and task alerts use the latest values throughout — except what teamtop\'s own actions changed, which actions.jsonl keeps as it was before each action.',
  hints: { repo: 'set "repo" in team.json, or keep the state root inside the repository', baseRef: 'team.json "base_ref"' },
};
