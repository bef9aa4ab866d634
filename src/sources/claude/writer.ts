// Effects on a Claude Code team, written so that Claude Code reads them: a message is appended to
// the recipient's inbox under the lock convention of Claude Code's ecosystem (proper-lockfile on
// the inbox: a <inbox>.json.lock directory), re-reading the array and rewriting it atomically, so
// an interleaved writer never loses a message. Task files are edited in place under their locks.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { ApplyContext, Effect, EffectResult, NewMessage, RollbackJournal, Writer } from '../../ports/effects.js';
import { guardLockDir, guardPath } from '../../files/guard.js';
import { mkdirGuarded, readJsonOr, withLock, writeJsonAtomic } from '../../files/write.js';
import { assertSafeId } from '../../safety/ids.js';
import { applyGitEffect, checkGitEffect, isGitEffect } from '../../git/effects.js';
import { TEAMTOP_DIR } from './format.js';
import { inboxStem } from './names.js';
import { claudeTaskProblem } from './schemas.js';
import { ownMessageKey, RecordsStore } from '../records.js';

type Rec = Record<string, unknown>;

/** Protocol messages teamtop sends, serialised as JSON in `text` like Claude Code's own. */
const PROTOCOL_OUT = new Set(['task_assignment', 'shutdown_request']);

const SUMMARY: Record<string, string> = {
  wake_up: 'Wake-up: status check', resend_batch: 'Resend of unread messages', team_reordered: 'Task order changed',
  task_assignment: 'Task assignment', shutdown_request: 'Shutdown request',
};

export interface ClaudeWriterOptions {
  lead: string;
  members: string[];
  now?: () => number;
  /**
   * Where teamtop's own records of the team go (actions.jsonl, acknowledgements, the rollback
   * journal): teamtop's state directory, `base` being the directory every such write stays in.
   * Default: teams/<team>/teamtop/ (a team Claude Code deletes takes them with it).
   */
  records?: { base: string; dir: string };
}

/** The inbox entry Claude Code expects for a model message. */
export function inboxEntry(m: NewMessage, from: string, timestamp: string): Rec {
  const p = (m.payload && typeof m.payload === 'object' ? m.payload : {}) as Rec;
  let text: string;
  if (PROTOCOL_OUT.has(m.type)) text = JSON.stringify({ type: m.type, ...p });
  else text = typeof m.payload === 'string' ? m.payload : typeof p.text === 'string' ? p.text : JSON.stringify(m.payload);
  const summary = SUMMARY[m.type] ?? (text.length > 60 ? `${text.slice(0, 59)}…` : text);
  return { from, text, summary, timestamp, read: false };
}

export class ClaudeWriter implements Writer {
  private readonly now: () => number;
  readonly teamDir: string;
  readonly tasksDir: string;

  constructor(readonly claudeDir: string, readonly team: string, private readonly opts: ClaudeWriterOptions) {
    this.now = opts.now ?? Date.now;
    // A team directory whose name is not a safe id is refused by every write (check, apply,
    // record), never by the constructor: the refusal is reported, not an internal error.
    this.teamDir = join(claudeDir, 'teams', team);
    this.tasksDir = join(claudeDir, 'tasks', team);
  }

  private recipients(to: string | string[]): string[] {
    const list = to === 'all' ? this.opts.members.filter((m) => m !== this.opts.lead) : Array.isArray(to) ? to : [to];
    // A message to nobody (config.json unreadable, or no teammate in it) is refused: "applied"
    // with no recipient would tell the lead the team was told when it was not.
    if (list.length === 0) throw new Error(to === 'all' ? 'no teammate to send to: config.json lists none (or could not be read)' : 'no recipient');
    return list.map((r) => assertSafeId('teammate', r));
  }

  /** The recipient's inbox, named as Claude Code names it (`doc.writer` → `doc-writer.json`). */
  private inboxFile(recipient: string): string {
    assertSafeId('team', this.team);
    const stem = inboxStem(recipient);
    if (stem === '' || /^-+$/.test(stem)) throw new Error(`no inbox file name for ${JSON.stringify(recipient)}`);
    return join(this.teamDir, 'inboxes', `${stem}.json`);
  }

  /** teamtop's own records for this team, apart from Claude Code's files. */
  private readonly store = new RecordsStore(() => this.records, () => this.recordsReady(), () => this.now());

  private get records(): { base: string; dir: string } {
    return this.opts.records ?? { base: this.claudeDir, dir: join(this.teamDir, TEAMTOP_DIR) };
  }

  /** The records directory, created (inside its base) when absent. */
  private async recordsReady(): Promise<void> {
    if (!this.opts.records) { await this.subdir(TEAMTOP_DIR); return; }
    await mkdirGuarded(this.records.base, this.records.dir);
  }

  /** The team directory must exist (Claude Code deletes it when the team ends: never recreate it). */
  private async subdir(name: string): Promise<void> {
    await this.teamDirExists();
    await mkdirGuarded(this.claudeDir, join(this.teamDir, name));
  }

  private async teamDirExists(): Promise<void> {
    assertSafeId('team', this.team);
    await guardPath(this.claudeDir, this.teamDir, { final: 'dir' });
    if (!(await isDir(this.teamDir))) throw new Error(`the team directory ${this.teamDir} is gone (the session ended): nothing is written into it`);
  }

  /** Appends to one inbox: lock, re-read, append, atomic rewrite. Creates the inbox when absent. */
  async appendToInbox(recipient: string, entry: Rec): Promise<void> {
    await this.subdir('inboxes');
    const file = this.inboxFile(recipient);
    await withLock(this.claudeDir, file, async () => {
      const cur = await readJsonOr<unknown>(file, []);
      if (!Array.isArray(cur)) throw new Error(`${file} is not a JSON array`);
      await writeJsonAtomic(this.claudeDir, file, [...cur, entry]);
    });
    // The lead did not send it: teamtop did (the lead's activity is its session's, not this).
    const at = typeof entry.timestamp === 'string' ? Date.parse(entry.timestamp) : NaN;
    if (Number.isFinite(at)) await this.store.ownWrite({ message: ownMessageKey(recipient, at) });
  }

  private taskFile(id: string): string {
    assertSafeId('team', this.team);
    return join(this.tasksDir, `${assertSafeId('task', id)}.json`);
  }

  /**
   * Edits one task file under its lock. A file that is gone is never recreated (Claude Code
   * deleted it), and the result must pass Claude Code's own task schema, which drops a file that
   * fails it from the agents' view: such an edit is refused and the file stays as it was.
   */
  private async editTask(id: string, edit: (t: Rec) => void): Promise<void> {
    const file = this.taskFile(id);
    const mine = await withLock(this.claudeDir, file, async () => {
      const prior = await fsp.stat(file).catch(() => null);
      const t = await readJsonOr<Rec | null>(file, null);
      if (!t || typeof t !== 'object' || Array.isArray(t)) throw new Error(`task ${id} is no longer in ${this.tasksDir}`);
      const owner = typeof t.owner === 'string' ? t.owner : null;
      edit(t);
      const problem = claudeTaskProblem(t);
      if (problem) throw new Error(`task ${id}: ${problem}: Claude Code would drop the file, so it is left as it was`);
      await writeJsonAtomic(this.claudeDir, file, t);
      // The file as teamtop left it, read before the lock goes (a teammate's write after it is theirs).
      const st = await fsp.stat(file).catch(() => null);
      if (!st) return null;
      // The file's time before may be teamtop's own last write: then what was before that counts.
      const last = prior ? await this.store.ownTask(id) : null;
      const ours = last !== null && prior !== null && last.mtime === prior.mtimeMs && last.ino === prior.ino;
      const before = ours ? (last.owner === owner ? last.before : null) : prior?.mtimeMs ?? null;
      return { id, mtime: st.mtimeMs, ino: st.ino, before, owner };
    });
    // A task file's time is its owner's activity, except when teamtop wrote it.
    if (mine) await this.store.ownWrite({ task: mine });
  }

  /** The files an effect writes, checked before a plan writes anything. */
  async check(e: Effect, earlier: readonly Effect[] = []): Promise<void> {
    assertSafeId('team', this.team);
    // Each file is written under its `<file>.lock`: both must be safe.
    const file = async (p: string): Promise<void> => { await guardPath(this.claudeDir, p, { final: 'file' }); await guardLockDir(p); };
    switch (e.kind) {
      case 'append-message': for (const r of this.recipients(e.message.to)) await file(this.inboxFile(r)); break;
      case 'update-task':
        // Each task file exists and, edited, still passes Claude Code's schema.
        for (const [id, edit] of taskEdits(e)) {
          await file(this.taskFile(id));
          const t = await readJsonOr<Rec | null>(this.taskFile(id), null);
          if (!t || typeof t !== 'object' || Array.isArray(t)) throw new Error(`task ${id} is no longer in ${this.tasksDir}`);
          edit(t);
          const problem = claudeTaskProblem(t);
          if (problem) throw new Error(`task ${id}: ${problem}: Claude Code would drop the file, so it is left as it was`);
        }
        break;
      case 'ack-alert': assertSafeId('team', this.team); await this.store.checkAck(); break;
      default:
        if (isGitEffect(e)) await checkGitEffect(e, [this.claudeDir], earlier);
        break;
    }
  }

  async apply(e: Effect, ctx: ApplyContext): Promise<EffectResult> {
    assertSafeId('team', this.team);
    if (isGitEffect(e)) return applyGitEffect(e, ctx, [this.claudeDir]);
    switch (e.kind) {
      case 'append-message': {
        const to = this.recipients(e.message.to);
        const entry = inboxEntry(e.message, this.opts.lead, new Date(this.now()).toISOString());
        for (const r of to) await this.appendToInbox(r, entry);
        return { effect: e.kind, detail: { recipients: to } };
      }
      case 'update-task': {
        for (const [id, edit] of taskEdits(e)) await this.editTask(id, edit);
        return { effect: e.kind, detail: { task: e.taskId } };
      }
      case 'ack-alert': {
        await this.store.ack(e);
        return { effect: e.kind, detail: { alert: e.alertId } };
      }
      default:
        throw new Error(`${e.kind} cannot be expressed in a Claude Code team`);
    }
  }

  async record(entry: Record<string, unknown>): Promise<void> {
    assertSafeId('team', this.team);
    await this.store.record(entry);
  }

  async checkRecord(journal = false): Promise<void> {
    assertSafeId('team', this.team);
    await this.store.checkRecord(journal);
  }

  async writeRollback(r: RollbackJournal): Promise<void> {
    assertSafeId('team', this.team);
    await this.store.writeRollback(r);
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fsp.lstat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** The task files an update-task effect edits, and how (both sides of a removed dependency). */
function taskEdits(e: Extract<Effect, { kind: 'update-task' }>): Array<[string, (t: Rec) => void]> {
  const edits: Array<[string, (t: Rec) => void]> = [[e.taskId, (t) => {
    for (const [k, v] of Object.entries(e.set ?? {})) if (k === 'owner' || k === 'status') t[k] = v;
    if (e.removeDependency && Array.isArray(t.blockedBy)) t.blockedBy = (t.blockedBy as unknown[]).filter((x) => String(x) !== e.removeDependency);
  }]];
  // Keep both sides consistent: the other task no longer blocks this one.
  if (e.removeDependency) {
    edits.push([e.removeDependency, (t) => {
      if (Array.isArray(t.blocks)) t.blocks = (t.blocks as unknown[]).filter((x) => String(x) !== e.taskId);
    }]);
  }
  return edits;
}
