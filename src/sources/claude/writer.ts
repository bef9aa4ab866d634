// Effects on a Claude Code team, written so that Claude Code reads them: a message is appended to
// the recipient's inbox under the lock convention of Claude Code's ecosystem (proper-lockfile on
// the inbox: a <inbox>.json.lock directory), re-reading the array and rewriting it atomically, so
// an interleaved writer never loses a message. Task files are edited in place under their locks.
import { join } from 'node:path';
import type { ApplyContext, Effect, EffectResult, NewMessage, RollbackJournal, Writer } from '../../ports/effects.js';
import { ACKS_FILE } from '../../ports/acks.js';
import { guardLockDir, guardPath } from '../../files/guard.js';
import { appendLine, mkdirGuarded, readJsonOr, withLock, writeJsonAtomic } from '../../files/write.js';
import { assertSafeId } from '../../safety/ids.js';
import { applyGitEffect, checkGitEffect, isGitEffect } from '../../git/effects.js';
import { TEAMTOP_DIR } from './format.js';
import { ACTIONS_FILE, ROLLBACK_FILE } from '../../ports/effects.js';

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

  private inboxFile(recipient: string): string {
    assertSafeId('team', this.team);
    return join(this.teamDir, 'inboxes', `${assertSafeId('teammate', recipient)}.json`);
  }

  /** teamtop's own records for this team, apart from Claude Code's files. */
  private recordFile(name: string): string {
    return join(this.teamDir, TEAMTOP_DIR, name);
  }

  /** The team directory must exist (Claude Code deletes it when the team ends: never recreate it). */
  private async subdir(name: string): Promise<void> {
    assertSafeId('team', this.team);
    await guardPath(this.claudeDir, this.teamDir, { final: 'dir' });
    await mkdirGuarded(this.claudeDir, join(this.teamDir, name));
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
  }

  private taskFile(id: string): string {
    assertSafeId('team', this.team);
    return join(this.tasksDir, `${assertSafeId('task', id)}.json`);
  }

  private async editTask(id: string, edit: (t: Rec) => void): Promise<void> {
    const file = this.taskFile(id);
    await withLock(this.claudeDir, file, async () => {
      const t = await readJsonOr<Rec | null>(file, null);
      if (!t || typeof t !== 'object') throw new Error(`task ${id} is no longer in ${this.tasksDir}`);
      edit(t);
      await writeJsonAtomic(this.claudeDir, file, t);
    });
  }

  /** The files an effect writes, checked before a plan writes anything. */
  async check(e: Effect, earlier: readonly Effect[] = []): Promise<void> {
    assertSafeId('team', this.team);
    // Each file is written under its `<file>.lock`: both must be safe.
    const file = async (p: string): Promise<void> => { await guardPath(this.claudeDir, p, { final: 'file' }); await guardLockDir(p); };
    switch (e.kind) {
      case 'append-message': for (const r of this.recipients(e.message.to)) await file(this.inboxFile(r)); break;
      case 'update-task':
        await file(this.taskFile(e.taskId));
        if (e.removeDependency) await file(this.taskFile(e.removeDependency));
        break;
      case 'ack-alert': await file(this.recordFile(ACKS_FILE)); break;
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
        await this.editTask(e.taskId, (t) => {
          for (const [k, v] of Object.entries(e.set ?? {})) if (k === 'owner' || k === 'status') t[k] = v;
          if (e.removeDependency && Array.isArray(t.blockedBy)) t.blockedBy = (t.blockedBy as unknown[]).filter((x) => String(x) !== e.removeDependency);
        });
        if (e.removeDependency) {
          // Keep both sides consistent: the other task no longer blocks this one.
          await this.editTask(e.removeDependency, (t) => {
            if (Array.isArray(t.blocks)) t.blocks = (t.blocks as unknown[]).filter((x) => String(x) !== e.taskId);
          });
        }
        return { effect: e.kind, detail: { task: e.taskId } };
      }
      case 'ack-alert': {
        await this.subdir(TEAMTOP_DIR);
        const file = this.recordFile(ACKS_FILE);
        await withLock(this.claudeDir, file, async () => {
          const cur = await readJsonOr<{ acks?: Rec }>(file, { acks: {} });
          await writeJsonAtomic(this.claudeDir, file, { ...cur, acks: { ...(cur.acks ?? {}), [e.alertId]: { evidence: e.fingerprint, at: new Date(this.now()).toISOString(), summary: e.summary } } });
        });
        return { effect: e.kind, detail: { alert: e.alertId } };
      }
      default:
        throw new Error(`${e.kind} cannot be expressed in a Claude Code team`);
    }
  }

  async record(entry: Record<string, unknown>): Promise<void> {
    await this.subdir(TEAMTOP_DIR);
    const file = this.recordFile(ACTIONS_FILE);
    await withLock(this.claudeDir, file, () => appendLine(this.claudeDir, file, JSON.stringify(entry), 'cut'));
  }

  async checkRecord(journal = false): Promise<void> {
    assertSafeId('team', this.team);
    for (const name of journal ? [ACTIONS_FILE, ROLLBACK_FILE] : [ACTIONS_FILE]) {
      await guardPath(this.claudeDir, this.recordFile(name), { final: 'file' });
      await guardLockDir(this.recordFile(name));
    }
  }

  async writeRollback(r: RollbackJournal): Promise<void> {
    await this.subdir(TEAMTOP_DIR);
    const file = this.recordFile(ROLLBACK_FILE);
    await withLock(this.claudeDir, file, () => writeJsonAtomic(this.claudeDir, file, r));
  }
}
