// Effects on a Claude Code team, written so that Claude Code reads them: a message is appended to
// the recipient's inbox under the lock convention of Claude Code's ecosystem (proper-lockfile on
// the inbox: a <inbox>.json.lock directory), re-reading the array and rewriting it atomically, so
// an interleaved writer never loses a message. Task files are edited in place under their locks.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { ApplyContext, Effect, EffectResult, NewMessage, Writer } from '../../actions/types.js';
import { ACKS_FILE } from '../../alerts/acks.js';
import { appendLine, readJsonOr, withLock, writeJsonAtomic } from '../../safety/files.js';
import { assertSafeId } from '../../safety/ids.js';
import { applyGitEffect, isGitEffect } from '../../actions/git-effects.js';
import { TEAMTOP_DIR } from './team.js';

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
    assertSafeId('team', team);
    this.teamDir = join(claudeDir, 'teams', team);
    this.tasksDir = join(claudeDir, 'tasks', team);
  }

  private recipients(to: string | string[]): string[] {
    const list = to === 'all' ? this.opts.members.filter((m) => m !== this.opts.lead) : Array.isArray(to) ? to : [to];
    return list.map((r) => assertSafeId('teammate', r));
  }

  /** Appends to one inbox: lock, re-read, append, atomic rewrite. Creates the inbox when absent. */
  async appendToInbox(recipient: string, entry: Rec): Promise<void> {
    const dir = join(this.teamDir, 'inboxes');
    await fsp.mkdir(dir, { recursive: true });
    const file = join(dir, `${assertSafeId('teammate', recipient)}.json`);
    await withLock(file, async () => {
      const cur = await readJsonOr<unknown>(file, []);
      if (!Array.isArray(cur)) throw new Error(`${file} is not a JSON array`);
      await writeJsonAtomic(file, [...cur, entry]);
    });
  }

  private taskFile(id: string): string {
    return join(this.tasksDir, `${assertSafeId('task', id)}.json`);
  }

  private async editTask(id: string, edit: (t: Rec) => void): Promise<void> {
    const file = this.taskFile(id);
    await withLock(file, async () => {
      const t = await readJsonOr<Rec | null>(file, null);
      if (!t || typeof t !== 'object') throw new Error(`task ${id} is no longer in ${this.tasksDir}`);
      edit(t);
      await writeJsonAtomic(file, t);
    });
  }

  async apply(e: Effect, ctx: ApplyContext): Promise<EffectResult> {
    if (isGitEffect(e)) return applyGitEffect(e, ctx, this.claudeDir);
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
        const dir = join(this.teamDir, TEAMTOP_DIR);
        await fsp.mkdir(dir, { recursive: true });
        const file = join(dir, ACKS_FILE);
        await withLock(file, async () => {
          const cur = await readJsonOr<{ acks?: Rec }>(file, { acks: {} });
          await writeJsonAtomic(file, { ...cur, acks: { ...(cur.acks ?? {}), [e.alertId]: { evidence: e.fingerprint, at: new Date(this.now()).toISOString(), summary: e.summary } } });
        });
        return { effect: e.kind, detail: { alert: e.alertId } };
      }
      default:
        throw new Error(`${e.kind} cannot be expressed in a Claude Code team`);
    }
  }



  async record(entry: Record<string, unknown>): Promise<void> {
    const dir = join(this.teamDir, TEAMTOP_DIR);
    await fsp.mkdir(dir, { recursive: true });
    await appendLine(join(dir, 'actions.jsonl'), JSON.stringify(entry));
  }
}
