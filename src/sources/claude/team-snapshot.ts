// A Claude Code team's files (and what teamtop learns beside them: tmux panes, transcripts) as
// one TeamSnapshot. Members become teammates (the lead is leadAgentId's member); inboxes, named
// after their recipients by Claude Code's rule, merge into one mailbox ordered by time; an inbox
// that belongs to no member (Claude Code creates one for any name a message is sent to) is shown
// as stray and never counts as unread. Activity is the newest of a message the member sent, a
// change to a task file it owns and a write to its transcript; `isActive: true` is a hint only.
import type { ActivitySignal, Doing, Liveness, MailboxView, Message, StateError, Task, TeamEvent, Teammate } from '../../model/types.js';
import type { TeamSnapshot } from '../../model/snapshot.js';
import type { RollbackJournal } from '../../ports/effects.js';
import { ReadAggregator } from '../answer-aggregator.js';
import { CLAUDE_FORMAT } from './format.js';
import { membersByStem, ownerName } from './names.js';
import { approvalAnswerKey, approvalRequest, describeProtocol } from './protocol.js';
import { parseProtocol, type ClaudeConfig, type InboxMessage } from './schemas.js';
import { ownMessageKey, type OwnTaskWrite } from '../records.js';
import { parseIsoTime } from '../../model/time.js';

type Member = ClaudeConfig['members'][number];

/** What a transcript says of a member (or the lead), matched by src/sources/claude/transcripts. */
export interface TranscriptSummary {
  path: string;
  basis: string;
  model: string | null;
  contextUsed: number | null;
  contextMax: number | null;
  tokensTotal: number;
  lastTool: Doing | null;
  lastActivity: number | null;
  compactions: ReadonlyArray<{ at: number; trigger: string; before: number | null; after: number | null }>;
}

/** Signals about a member from outside its team files. */
export interface MemberSignals {
  liveness?: Liveness;
  transcript?: TranscriptSummary;
}

export interface TeamParts {
  id: string;
  dir: string;
  tasksDir: string;
  recordsDir: string;
  config: ClaudeConfig | null;
  inboxes: ReadonlyMap<string, { recipient: string; messages: InboxMessage[] }>;
  tasks: ReadonlyArray<{ task: Task; mtime: number; ino?: number; hidden: boolean }>;
  /** tasks/<team>/ exists (Claude Code's task tools are on for this team). */
  hasTaskDir: boolean;
  acks: ReadonlyMap<string, string>;
  rollback: RollbackJournal | null;
  errors: StateError[];
  version: number;
  repo: { repo?: string; baseRef?: string };
  /** By member name (the lead's too). */
  signals: ReadonlyMap<string, MemberSignals>;
  /** The team directory is gone and this is teamtop's kept copy, last seen at this time. */
  endedAt: number | null;
  /** What teamtop itself wrote (task file times, messages): never taken for activity. */
  own?: { tasks: ReadonlyMap<string, OwnTaskWrite>; messages: ReadonlySet<string> };
}

/** Why a team has no tasks to show, when its task directory does not exist. */
export const NO_TASK_FILES = 'no task files (Claude Code 2.1.233+ turns its task tools off for the newest models: the team coordinates by messages; CLAUDE_CODE_ENABLE_TODO_TOOLS=1 turns them on)';

/** The lead member's name ("team-lead"), from leadAgentId. */
export function leadNameOf(c: ClaudeConfig | null): string {
  if (!c) return 'team-lead';
  const lead = c.members.find((m) => m.agentId && m.agentId === c.leadAgentId) ?? c.members.find((m) => c.leadAgentId?.startsWith(`${m.name}@`));
  return lead?.name ?? c.leadAgentId?.split('@')[0] ?? 'team-lead';
}

export function buildSnapshot(p: TeamParts): TeamSnapshot {
  const members = p.config?.members ?? [];
  const lead = leadNameOf(p.config);
  const mailbox = mergeMailbox(p.inboxes, members, lead);
  const tasks = p.tasks.filter((t) => !t.hidden).map((t) => ({ ...t.task, owner: t.task.owner === null ? null : ownerName(t.task.owner, members) }))
    .sort((a, b) => numericFirst(a.id, b.id));
  // Last activity per member: the newest signal, and which signal it was.
  const activity = new Map<string, { at: number; signal: ActivitySignal }>();
  const bump = (who: string | null, at: number | null, signal: ActivitySignal): void => {
    if (!who || at === null) return;
    const cur = activity.get(who);
    if (!cur || at > cur.at) activity.set(who, { at, signal });
  };
  const idle = new Map<string, Message>();
  // teamtop's own writes are not a sign of life: its messages go out as the lead's, and its task
  // edits change a task file's time as its owner's would.
  const own = p.own;
  for (const m of mailbox.recent) {
    const ours = own !== undefined && m.from === lead && typeof m.to === 'string' && m.timestamp !== null && own.messages.has(ownMessageKey(m.to, m.timestamp));
    if (!ours) bump(m.from, m.timestamp, m.protocol?.type === 'idle_notification' ? 'idle_notification' : 'message');
    if (m.protocol?.type === 'idle_notification' && m.from) idle.set(m.from, m);
  }
  for (const t of p.tasks) {
    if (!t.task.owner) continue;
    const mine = own?.tasks.get(t.task.id);
    // The file as teamtop left it (same time and inode): its time is not the owner's; the time it
    // had before is, when the owner is still the one who wrote it then.
    const ours = mine !== undefined && mine.mtime === t.mtime && mine.ino === t.ino;
    const at = !ours ? t.mtime : mine.owner !== null && ownerName(mine.owner, members) === ownerName(t.task.owner, members) ? mine.before : null;
    bump(ownerName(t.task.owner, members), at, 'task_file');
  }
  for (const [who, s] of p.signals) bump(who, s.transcript?.lastActivity ?? null, 'transcript');
  // Joining is the first sign of life: a teammate silent since it joined ages from then.
  for (const m of members) bump(m.name, typeof m.joinedAt === 'number' && Number.isFinite(m.joinedAt) ? m.joinedAt : null, 'joined');
  const unread = new Map<string, number>();
  for (const [k, list] of mailbox.aggregates.unacked) unread.set(k, list.length);

  const toTeammate = (m: Member): Teammate => {
    const a = activity.get(m.name);
    const s = p.signals.get(m.name) ?? {};
    const tr = s.transcript;
    const current = tasks.find((t) => t.owner === m.name && t.status === 'in_progress');
    const { name: _name, agentType, isActive, ...rest } = m;
    // isActive survives a crash (Claude Code issues #53701, #47396): it is shown as the status but
    // never silences the activity checks; a teammate's age is that of its last sign of activity.
    const activeNow = false;
    const reason = idle.get(m.name)?.protocol?.idleReason;
    const status = p.endedAt !== null ? 'ended'
      : isActive === false ? (reason === 'interrupted' || reason === 'failed' ? `idle (${reason})` : 'idle') : isActive === true ? 'active' : null;
    return {
      id: m.name, name: null, role: agentType ?? null, status,
      lastHeartbeat: a?.at ?? null, activitySignal: activeNow ? 'is_active' : a?.signal ?? null, activeNow,
      contextUsed: tr?.contextUsed ?? null, contextMax: tr?.contextUsed == null ? null : tr.contextMax,
      taskCurrent: current?.name ?? current?.id ?? null, taskStartedAt: null,
      completionPercent: null, messagesPending: unread.get(m.name) ?? 0, pendingHistory: [], lastMessageSeq: null,
      extra: rest as Record<string, unknown>,
      ...(s.liveness ? { liveness: s.liveness } : {}),
      ...(m.tmuxPaneId && /^%\d+$/.test(m.tmuxPaneId) ? { pane: m.tmuxPaneId } : {}),
      tokensTotal: tr?.tokensTotal ?? null,
      doing: tr?.lastTool ?? null,
      transcript: tr ? { path: tr.path, basis: tr.basis, model: tr.model } : null,
    };
  };
  const leadMember = members.find((m) => m.name === lead);
  const leadSignals = p.signals.get(lead);
  const leadActivity = activity.get(lead);
  const leadActiveNow = leadMember?.isActive === true && !leadSignals?.transcript;
  const events: TeamEvent[] = [];
  for (const [who, s] of p.signals) {
    for (const c of s.transcript?.compactions ?? []) {
      events.push({ timestamp: c.at, type: 'compaction', line: 0, data: { teammate: who, trigger: c.trigger, before: c.before, after: c.after, source: 'transcript' } });
    }
  }
  events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  return {
    id: p.id,
    source: 'claude',
    dir: p.dir,
    info: {
      status: null, createdAt: p.config?.createdAt ?? null, leadSessionId: p.config?.leadSessionId ?? null,
      repo: p.repo.repo ?? null, baseRef: p.repo.baseRef ?? null,
      lead: {
        id: lead,
        lastHeartbeat: leadActiveNow ? null : leadActivity?.at ?? null,
        status: leadMember?.isActive === false ? 'idle' : leadMember?.isActive === true ? 'active' : null,
        activitySignal: leadActiveNow ? 'is_active' : leadActivity?.signal ?? null,
      },
      extra: p.config ? { name: p.config.name, description: p.config.description, ...(leadSignals?.transcript ? { lead_transcript: leadSignals.transcript } : {}) } : {},
    },
    teammates: members.filter((m) => m.name !== lead).map(toTeammate),
    tasks,
    mailbox,
    events,
    checkpoints: new Map(),
    errors: p.errors,
    format: CLAUDE_FORMAT,
    capabilities: CLAUDE_FORMAT.capabilities,
    acks: p.acks,
    rollback: p.rollback,
    version: p.version,
    origin: { cwd: leadMember?.cwd ?? members.find((m) => m.cwd)?.cwd ?? null, startedAt: p.config?.createdAt ?? null },
    recordsDir: p.recordsDir,
    files: { tasks: p.tasksDir },
    endedAt: p.endedAt,
    ...(p.hasTaskDir || p.tasks.length > 0 ? {} : { unavailable: { tasks: NO_TASK_FILES } }),
  };
}

/**
 * Every inbox merged, oldest first; the sequence is the position in that order (stable for the
 * same files: ties are broken by recipient and position in the inbox). Unread = unacknowledged,
 * except in a stray inbox (no member reads it).
 */
export function mergeMailbox(inboxes: TeamParts['inboxes'], members: readonly Member[], lead: string): MailboxView {
  const byStem = membersByStem(members);
  const all: Array<{ m: InboxMessage; to: string; stray: boolean; i: number; ts: number | null }> = [];
  for (const inbox of inboxes.values()) {
    const member = byStem.get(inbox.recipient) ?? (inbox.recipient === lead ? lead : null);
    const to = member ?? inbox.recipient;
    inbox.messages.forEach((m, i) => all.push({ m, to, stray: member === null && members.length > 0, i, ts: m.timestamp ? parseIsoTime(m.timestamp) : null }));
  }
  all.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0) || a.i - b.i);
  const acc = new ReadAggregator();
  const recent: Message[] = all.map(({ m, to, stray, ts }, k) => {
    const protocol = parseProtocol(m.text);
    const sequence = k + 1;
    const { from, text, timestamp, read: _r, summary, ...extra } = m;
    void timestamp; void _r;
    const approval = protocol ? approvalRequest(protocol, from ?? null) : null;
    const answers = protocol ? approvalAnswerKey(protocol) : null;
    const msg: Message = {
      sequence, timestamp: ts, from: from ?? null, to: [to], type: protocol ? String(protocol.type) : 'message', priority: null,
      payload: protocol ? (summary ?? protocol.summary ?? protocol.subject ?? '') : text ?? '',
      // Nobody reads a stray inbox: its messages wait for no answer (never shown as acknowledged).
      ackSequences: [], ackRequired: !stray, timeoutMs: null, resendingSequences: [], line: sequence,
      protocol, extra: { read: m.read === true, ...(summary ? { summary } : {}), ...(stray ? { stray: true } : {}), ...extra },
      ...(approval ? { approval } : {}),
      ...(answers ? { answers } : {}),
      ...(protocol ? { text: describeProtocol(protocol) } : {}),
    };
    acc.add(msg);
    return msg;
  });
  return { aggregates: acc.snapshot(), recent, recentStart: 0, indexing: false };
}

function numericFirst(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
