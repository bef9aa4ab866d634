// One Claude Code team in the model. Members become teammates (the lead is leadAgentId's member),
// task files become tasks, all inboxes merge into one mailbox ordered by time. The format has no
// heartbeat: a member's last activity is the newest of a message it sent, its idle notifications,
// and changes to task files it owns; `isActive: true` means active now. Reading is acknowledging.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { StateError, Task, TaskStatus } from '../../model/types.js';
import type { TeamSnapshot } from '../../model/snapshot.js';
import type { RollbackJournal } from '../../ports/effects.js';
import { TASK_STATUSES } from '../../model/types.js';
import { readJsonFile } from '../../files/json.js';
import { ACKS_FILE, acksFileSchema } from '../../ports/acks.js';
import { rollbackJournalSchema } from '../../model/schemas.js';
import { TEAMTOP_DIR } from './format.js';
import { buildSnapshot, leadNameOf, type MemberSignals } from './team-snapshot.js';
import { ROLLBACK_FILE } from '../../ports/effects.js';
import { readOwnWrites, type OwnTaskWrite } from '../records.js';
import { configSchema, inboxArraySchema, inboxMessageSchema, taskFileReadSchema, type ClaudeConfig, type InboxMessage } from './schemas.js';

interface RawInbox { recipient: string; messages: InboxMessage[] }

/** A half-written inbox is read again this many times, this far apart, before it is reported. */
const INBOX_RETRIES = 3;
const INBOX_RETRY_MS = 40;
interface RawTask { file: string; mtime: number; ino: number; task: Task; hidden: boolean }

export class ClaudeTeam {
  private cfg: ClaudeConfig | null = null;
  private hasTaskDir = false;
  private signals: ReadonlyMap<string, MemberSignals> = new Map();
  private signalsKey = '[]';
  /** Set when this is teamtop's kept copy of a team whose directory is gone. */
  endedAt: number | null = null;
  private inboxes = new Map<string, RawInbox>();
  private tasks = new Map<string, RawTask>();
  private acks = new Map<string, string>();
  private own: { tasks: ReadonlyMap<string, OwnTaskWrite>; messages: ReadonlySet<string> } = { tasks: new Map(), messages: new Set() };
  private rollback: RollbackJournal | null = null;
  private errors = new Map<string, StateError>();
  private cached: TeamSnapshot | null = null;
  private version = 0;

  private readonly now: () => number;
  private readonly repoOpts: { repo?: string; baseRef?: string };
  /** teamtop's own records for the team (actions log, acknowledgements, rollback journal). */
  readonly recordsDir: string;

  constructor(
    readonly id: string,
    /** teams/<team> (or the kept copy's team/ of an ended team) */
    readonly dir: string,
    /** tasks/<team> (or the kept copy's tasks/) */
    readonly tasksDir: string,
    opts: { now?: () => number; repo?: { repo?: string; baseRef?: string }; recordsDir?: string; endedAt?: number | null } = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.repoOpts = opts.repo ?? {};
    this.recordsDir = opts.recordsDir ?? join(dir, TEAMTOP_DIR);
    this.endedAt = opts.endedAt ?? null;
  }

  async loadAll(): Promise<void> {
    await this.loadConfig();
    await this.loadAllInboxes();
    await this.loadAllTasks();
    await this.loadAcks();
    await this.loadRollback();
    await this.loadOwnWrites();
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
    else return false;
    this.changed();
    return true;
  }

  /**
   * tasks/<team>/<name> changed, or (no name) tasks/<team> itself: made, removed, or replaced by a
   * link. Through a linked task directory nothing is read (a watcher follows links).
   */
  async onTaskPath(name?: string): Promise<boolean> {
    if (name !== undefined && !isTaskFile(name)) return false;
    if (name === undefined || (await fsp.lstat(this.tasksDir).catch(() => null))?.isSymbolicLink()) {
      await this.loadAllTasks();
    } else {
      this.hasTaskDir = true;
      this.setError(`tasks/${this.id}`, null); // a directory again, if it was a link
      await this.loadTask(name);
    }
    this.changed();
    return true;
  }

  async reloadAll(): Promise<void> {
    await this.loadAll();
  }

  private async loadConfig(): Promise<void> {
    const r = await readJsonFile(join(this.dir, 'config.json'), configSchema);
    const rel = `teams/${this.id}/config.json`;
    if (r.ok) { this.cfg = r.value; this.setError(rel, null); }
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

  /**
   * Reads one inbox. Claude Code rewrites an inbox in place (not atomically), so a file that does
   * not parse is read again a few times before it is reported; an entry that does not fit the
   * message shape is skipped and counted, the others are kept.
   */
  private async loadInbox(stem: string): Promise<void> {
    const rel = `teams/${this.id}/inboxes/${stem}.json`;
    const path = join(this.dir, 'inboxes', `${stem}.json`);
    let r = await readJsonFile(path, inboxArraySchema);
    for (let i = 0; i < INBOX_RETRIES && !r.ok && !r.missing; i++) {
      await new Promise((res) => setTimeout(res, INBOX_RETRY_MS));
      r = await readJsonFile(path, inboxArraySchema);
    }
    if (!r.ok) {
      if (r.missing) { this.inboxes.delete(stem); this.setError(rel, null); } else this.setError(rel, r);
      return;
    }
    const messages: InboxMessage[] = [];
    let skipped = 0;
    let first: string | null = null;
    r.value.forEach((v, i) => {
      const m = inboxMessageSchema.safeParse(v);
      if (m.success) messages.push(m.data);
      else {
        skipped++;
        first ??= `entry ${i}: ${m.error.issues[0]?.path.join('.') || 'entry'}: ${m.error.issues[0]?.message}`;
      }
    });
    this.inboxes.set(stem, { recipient: stem, messages });
    this.setError(rel, skipped ? { line: null, message: `${skipped} entr${skipped === 1 ? 'y' : 'ies'} skipped (not a message; first: ${first})` } : null);
  }

  private async loadAllTasks(): Promise<void> {
    let names: string[] = [];
    const rel = `tasks/${this.id}`;
    // A task directory that is a link is not read (as a linked task file is not): what it points
    // at is outside the Claude Code directory, and teamtop's writes there would be refused.
    if ((await fsp.lstat(this.tasksDir).catch(() => null))?.isSymbolicLink()) {
      this.hasTaskDir = true;
      this.setError(rel, { line: null, message: 'is a symbolic link: not read' });
    } else {
      this.setError(rel, null);
      try {
        names = await fsp.readdir(this.tasksDir);
        this.hasTaskDir = true;
      } catch {
        // No task list: Claude Code's task tools are off for this team (or it has none yet).
        this.hasTaskDir = false;
      }
    }
    const files = new Set(names.filter(isTaskFile));
    for (const k of [...this.tasks.keys()]) if (!files.has(k)) this.tasks.delete(k);
    await Promise.all([...files].map((n) => this.loadTask(n)));
  }

  private async loadTask(name: string): Promise<void> {
    const rel = `tasks/${this.id}/${name}`;
    const path = join(this.tasksDir, name);
    const r = await readJsonFile(path, taskFileReadSchema);
    if (!r.ok) {
      if (r.missing) { this.tasks.delete(name); this.setError(rel, null); } else this.setError(rel, r);
      return;
    }
    const { task: t, problem } = r.value;
    const status = (TASK_STATUSES as readonly string[]).includes(t.status ?? '') ? (t.status as TaskStatus) : 'pending';
    const hidden = status === 'deleted' || (t.metadata != null && '_internal' in t.metadata && Boolean(t.metadata._internal));
    this.tasks.set(name, {
      file: rel, mtime: r.mtimeMs, ino: r.ino, hidden,
      task: {
        id: t.id, name: t.subject ?? null, owner: t.owner ?? null, status, dependsOn: [...new Set(t.blockedBy ?? [])], blocks: [...new Set(t.blocks ?? [])],
        sequence: null, createdAt: null, startedAt: null, updatedAt: r.mtimeMs, completedAt: status === 'completed' ? r.mtimeMs : null,
        expectedDurationMinutes: null, completionPercent: null, blockingFactor: null, deliverables: null,
        description: t.description ?? null, extra: { file: rel, ...(t.activeForm ? { activeForm: t.activeForm } : {}) },
      },
    });
    // Claude Code drops a task file its own schema rejects: the agents work without the task.
    this.setError(rel, problem && status !== 'deleted' ? { line: null, message: `Claude Code ignores this task file (${problem}): the team's agents do not see the task` } : null);
  }

  private async loadRollback(): Promise<void> {
    const file = join(this.recordsDir, ROLLBACK_FILE);
    const r = await readJsonFile(file, rollbackJournalSchema);
    this.rollback = r.ok ? (r.value as RollbackJournal) : null;
    this.setError(file, r.ok || r.missing ? null : r);
  }

  /** What teamtop itself wrote (records.ts OWN_WRITES_FILE): not activity. A bad file is none. */
  private async loadOwnWrites(): Promise<void> {
    const cur = await readOwnWrites(this.recordsDir);
    this.own = { tasks: new Map(cur.tasks.map((t) => [t.id, t])), messages: new Set(cur.messages) };
  }


  private async loadAcks(): Promise<void> {
    const r = await readJsonFile(join(this.recordsDir, ACKS_FILE), acksFileSchema);
    this.acks = r.ok ? new Map(Object.entries(r.value.acks).map(([id, v]) => [id, v.evidence])) : new Map();
  }

  /**
   * teamtop's own records again (they live outside the watched directories): true when the
   * acknowledgements or the rollback journal changed.
   */
  async reloadRecords(): Promise<boolean> {
    const before = JSON.stringify([[...this.acks], this.rollback]);
    const ownBefore = JSON.stringify([[...this.own.tasks], [...this.own.messages]]);
    await this.loadAcks();
    await this.loadRollback();
    await this.loadOwnWrites();
    if (JSON.stringify([[...this.acks], this.rollback]) === before && JSON.stringify([[...this.own.tasks], [...this.own.messages]]) === ownBefore) return false;
    this.changed();
    return true;
  }

  /** The lead member's name ("team-lead"), from leadAgentId. */
  leadName(): string {
    return leadNameOf(this.cfg);
  }

  memberNames(): string[] {
    return (this.cfg?.members ?? []).map((m) => m.name);
  }

  /** The members as config.json lists them (for the pane check and transcript matching). */
  members(): ClaudeConfig['members'] {
    return this.cfg?.members ?? [];
  }

  config(): ClaudeConfig | null {
    return this.cfg;
  }

  /** Signals from outside the team files (tmux panes, transcripts); true when they changed. */
  setSignals(signals: ReadonlyMap<string, MemberSignals>): boolean {
    const key = JSON.stringify([...signals]);
    if (key === this.signalsKey) return false;
    this.signalsKey = key;
    this.signals = signals;
    this.changed();
    return true;
  }

  snapshot(): TeamSnapshot {
    if (this.cached) return this.cached;
    this.cached = buildSnapshot({
      id: this.id, dir: this.dir, tasksDir: this.tasksDir, recordsDir: this.recordsDir,
      config: this.cfg, inboxes: this.inboxes, tasks: [...this.tasks.values()], hasTaskDir: this.hasTaskDir,
      acks: this.acks, rollback: this.rollback, errors: [...this.errors.values()], version: this.version, repo: this.repoOpts,
      signals: this.signals, endedAt: this.endedAt, own: this.own,
    });
    return this.cached;
  }
}

function isTaskFile(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.');
}
