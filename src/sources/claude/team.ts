// One Claude Code team in the model. Members become teammates (the lead is leadAgentId's member),
// task files become tasks, all inboxes merge into one mailbox ordered by time. The format has no
// heartbeat: a member's last activity is the newest of a message it sent, its idle notifications,
// and changes to task files it owns; `isActive: true` means active now. Reading is acknowledging.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { ActivitySignal, MailboxView, Message, StateError, Task, TaskStatus, Teammate } from '../../model/types.js';
import type { TeamSnapshot } from '../../model/snapshot.js';
import type { RollbackJournal } from '../../ports/effects.js';
import { TASK_STATUSES } from '../../model/types.js';
import { readJsonFile } from '../../files/json.js';
import { ACKS_FILE, acksFileSchema } from '../../ports/acks.js';
import { rollbackJournalSchema } from '../../model/schemas.js';
import { ReadAggregator } from './aggregator.js';
import { CLAUDE_FORMAT, TEAMTOP_DIR } from './format.js';
import { ROLLBACK_FILE } from '../../ports/effects.js';
import { configSchema, inboxSchema, parseProtocol, taskFileSchema, type ClaudeConfig, type InboxMessage } from './schemas.js';

interface RawInbox { recipient: string; messages: InboxMessage[] }
interface RawTask { file: string; mtime: number; task: Task; hidden: boolean }

export class ClaudeTeam {
  private config: ClaudeConfig | null = null;
  private inboxes = new Map<string, RawInbox>();
  private tasks = new Map<string, RawTask>();
  private acks = new Map<string, string>();
  private rollback: RollbackJournal | null = null;
  private errors = new Map<string, StateError>();
  private cached: TeamSnapshot | null = null;
  private version = 0;

  constructor(
    readonly id: string,
    /** teams/<team> */
    readonly dir: string,
    /** tasks/<team> */
    readonly tasksDir: string,
    private readonly now: () => number = Date.now,
    private readonly repoOpts: { repo?: string; baseRef?: string } = {},
  ) {}

  async loadAll(): Promise<void> {
    await this.loadConfig();
    await this.loadAllInboxes();
    await this.loadAllTasks();
    await this.loadAcks();
    await this.loadRollback();
    this.changed();
  }

  private changed(): void {
    this.cached = null;
    this.version++;
  }

  private setError(file: string, e: { line: number | null; message: string } | null): void {
    if (!e) this.errors.delete(file);
    else {
      const prev = this.errors.get(file);
      this.errors.set(file, { file, line: e.line, message: e.message, at: prev && prev.message === e.message ? prev.at : this.now() });
    }
  }

  /** A path under teams/<team> changed (relative, with /). */
  async onTeamPath(rel: string): Promise<boolean> {
    const parts = rel.split('/');
    if (parts.length === 1 && parts[0] === 'config.json') await this.loadConfig();
    else if (parts.length === 2 && parts[0] === 'inboxes' && parts[1]!.endsWith('.json')) await this.loadInbox(parts[1]!.slice(0, -5));
    else if (parts.length === 2 && parts[0] === TEAMTOP_DIR && parts[1] === ACKS_FILE) await this.loadAcks();
    else if (parts.length === 2 && parts[0] === TEAMTOP_DIR && parts[1] === ROLLBACK_FILE) await this.loadRollback();
    else return false;
    this.changed();
    return true;
  }

  /** A file under tasks/<team> changed (its name). */
  async onTaskPath(name: string): Promise<boolean> {
    if (!isTaskFile(name)) return false;
    await this.loadTask(name);
    this.changed();
    return true;
  }

  async reloadAll(): Promise<void> {
    await this.loadAll();
  }

  private async loadConfig(): Promise<void> {
    const r = await readJsonFile(join(this.dir, 'config.json'), configSchema);
    const rel = `teams/${this.id}/config.json`;
    if (r.ok) { this.config = r.value; this.setError(rel, null); }
    else if (r.missing) this.setError(rel, { line: null, message: 'required file is missing' });
    else this.setError(rel, r);
  }

  private async loadAllInboxes(): Promise<void> {
    let names: string[] = [];
    try {
      names = await fsp.readdir(join(this.dir, 'inboxes'));
    } catch {
      // no inbox yet: every inbox is empty
    }
    const present = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
    for (const k of [...this.inboxes.keys()]) if (!present.has(k)) this.inboxes.delete(k);
    await Promise.all([...present].map((n) => this.loadInbox(n)));
  }

  private async loadInbox(recipient: string): Promise<void> {
    const rel = `teams/${this.id}/inboxes/${recipient}.json`;
    const r = await readJsonFile(join(this.dir, 'inboxes', `${recipient}.json`), inboxSchema);
    if (r.ok) { this.inboxes.set(recipient, { recipient, messages: r.value }); this.setError(rel, null); }
    else if (r.missing) { this.inboxes.delete(recipient); this.setError(rel, null); }
    else this.setError(rel, r);
  }

  private async loadAllTasks(): Promise<void> {
    let names: string[] = [];
    try {
      names = await fsp.readdir(this.tasksDir);
    } catch {
      // no task list yet
    }
    const files = new Set(names.filter(isTaskFile));
    for (const k of [...this.tasks.keys()]) if (!files.has(k)) this.tasks.delete(k);
    await Promise.all([...files].map((n) => this.loadTask(n)));
  }

  private async loadTask(name: string): Promise<void> {
    const rel = `tasks/${this.id}/${name}`;
    const path = join(this.tasksDir, name);
    const r = await readJsonFile(path, taskFileSchema);
    if (!r.ok) {
      if (r.missing) { this.tasks.delete(name); this.setError(rel, null); } else this.setError(rel, r);
      return;
    }
    const t = r.value;
    const status = (TASK_STATUSES as readonly string[]).includes(t.status ?? '') ? (t.status as TaskStatus) : 'pending';
    const hidden = status === 'deleted' || (t.metadata != null && '_internal' in t.metadata && Boolean(t.metadata._internal));
    this.tasks.set(name, {
      file: rel, mtime: r.mtimeMs, hidden,
      task: {
        id: t.id, name: t.subject ?? null, owner: t.owner ?? null, status, dependsOn: [...new Set(t.blockedBy ?? [])], blocks: [...new Set(t.blocks ?? [])],
        sequence: null, createdAt: null, startedAt: null, updatedAt: r.mtimeMs, completedAt: status === 'completed' ? r.mtimeMs : null,
        expectedDurationMinutes: null, completionPercent: null, blockingFactor: null, deliverables: null,
        description: t.description ?? null, extra: { file: rel, ...(t.activeForm ? { activeForm: t.activeForm } : {}) },
      },
    });
    this.setError(rel, null);
  }

  private async loadRollback(): Promise<void> {
    const r = await readJsonFile(join(this.dir, TEAMTOP_DIR, ROLLBACK_FILE), rollbackJournalSchema);
    this.rollback = r.ok ? (r.value as RollbackJournal) : null;
    this.setError(`teams/${this.id}/${TEAMTOP_DIR}/${ROLLBACK_FILE}`, r.ok || r.missing ? null : r);
  }

  private async loadAcks(): Promise<void> {
    const r = await readJsonFile(join(this.dir, TEAMTOP_DIR, ACKS_FILE), acksFileSchema);
    this.acks = r.ok ? new Map(Object.entries(r.value.acks).map(([id, v]) => [id, v.evidence])) : new Map();
  }

  /** The lead member's name ("team-lead"), from leadAgentId. */
  leadName(): string {
    const c = this.config;
    if (!c) return 'team-lead';
    const lead = c.members.find((m) => m.agentId && m.agentId === c.leadAgentId) ?? c.members.find((m) => c.leadAgentId?.startsWith(`${m.name}@`));
    return lead?.name ?? c.leadAgentId?.split('@')[0] ?? 'team-lead';
  }

  memberNames(): string[] {
    return (this.config?.members ?? []).map((m) => m.name);
  }

  snapshot(): TeamSnapshot {
    if (this.cached) return this.cached;
    const lead = this.leadName();
    const mailbox = this.mergeMailbox();
    const tasks = [...this.tasks.values()].filter((t) => !t.hidden).map((t) => t.task)
      .sort((a, b) => numericFirst(a.id, b.id));
    // Last activity per member: the newest signal, and which signal it was.
    const activity = new Map<string, { at: number; signal: ActivitySignal }>();
    const bump = (who: string | null, at: number | null, signal: ActivitySignal): void => {
      if (!who || at === null) return;
      const cur = activity.get(who);
      if (!cur || at > cur.at) activity.set(who, { at, signal });
    };
    for (const m of mailbox.recent) bump(m.from, m.timestamp, m.protocol?.type === 'idle_notification' ? 'idle_notification' : 'message');
    for (const t of this.tasks.values()) bump(t.task.owner, t.mtime, 'task_file');
    const unread = new Map<string, number>();
    for (const [k, list] of mailbox.aggregates.unacked) unread.set(k, list.length);
    const members = this.config?.members ?? [];
    const toTeammate = (m: ClaudeConfig['members'][number]): Teammate => {
      const a = activity.get(m.name);
      const current = tasks.find((t) => t.owner === m.name && t.status === 'in_progress');
      const { name: _name, agentType, isActive, ...rest } = m;
      return {
        id: m.name, name: null, role: agentType ?? null,
        status: isActive === false ? 'idle' : isActive === true ? 'active' : null,
        lastHeartbeat: a?.at ?? null, activitySignal: isActive === true ? 'is_active' : a?.signal ?? null, activeNow: isActive === true,
        contextUsed: null, contextMax: null, taskCurrent: current?.name ?? current?.id ?? null, taskStartedAt: null,
        completionPercent: null, messagesPending: unread.get(m.name) ?? 0, pendingHistory: [], lastMessageSeq: null,
        extra: rest as Record<string, unknown>,
      };
    };
    const leadMember = members.find((m) => m.name === lead);
    const leadActivity = activity.get(lead);
    this.cached = {
      id: this.id,
      source: 'claude',
      dir: this.dir,
      info: {
        status: null, createdAt: this.config?.createdAt ?? null, leadSessionId: this.config?.leadSessionId ?? null,
        repo: this.repoOpts.repo ?? null, baseRef: this.repoOpts.baseRef ?? null,
        lead: {
          id: lead,
          lastHeartbeat: leadMember?.isActive === true ? null : leadActivity?.at ?? null,
          status: leadMember?.isActive === false ? 'idle' : leadMember?.isActive === true ? 'active' : null,
          activitySignal: leadMember?.isActive === true ? 'is_active' : leadActivity?.signal ?? null,
        },
        extra: this.config ? { name: this.config.name, description: this.config.description } : {},
      },
      teammates: members.filter((m) => m.name !== lead).map(toTeammate),
      tasks,
      mailbox,
      events: [],
      checkpoints: new Map(),
      errors: [...this.errors.values()],
      format: CLAUDE_FORMAT,
      capabilities: CLAUDE_FORMAT.capabilities,
      acks: this.acks,
      rollback: this.rollback,
      version: this.version,
    };
    return this.cached;
  }

  /**
   * Every inbox merged, oldest first; the sequence is the position in that order (stable for the
   * same files: ties are broken by recipient and position in the inbox). Unread = unacknowledged.
   */
  private mergeMailbox(): MailboxView {
    const all: Array<{ m: InboxMessage; to: string; i: number; ts: number | null }> = [];
    for (const inbox of this.inboxes.values()) {
      inbox.messages.forEach((m, i) => all.push({ m, to: inbox.recipient, i, ts: m.timestamp ? Date.parse(m.timestamp) : null }));
    }
    all.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0) || a.i - b.i);
    const acc = new ReadAggregator();
    const recent: Message[] = all.map(({ m, to, ts }, k) => {
      const protocol = parseProtocol(m.text);
      const sequence = k + 1;
      const { from, text, timestamp, read: _r, summary, ...extra } = m;
      void timestamp; void _r;
      const msg: Message = {
        sequence, timestamp: ts, from: from ?? null, to: [to], type: protocol ? String(protocol.type) : 'message', priority: null,
        payload: protocol ? (summary ?? protocol.summary ?? protocol.subject ?? '') : text ?? '',
        ackSequences: [], ackRequired: true, timeoutMs: null, resendingSequences: [], line: sequence,
        protocol, extra: { read: m.read === true, ...(summary ? { summary } : {}), ...extra },
      };
      acc.add(msg);
      return msg;
    });
    const agg = acc.snapshot();
    return { aggregates: agg, recent, recentStart: 0, indexing: false };
  }
}

function isTaskFile(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.');
}

function numericFirst(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
