// Effects on the native team-state format. Whole-file updates are a locked read-modify-write with
// an atomic replace; a message is one line appended with one write, its sequence allocated under
// the mailbox lock. Records are edited in place, so unknown fields and the file's own field
// variants (owner vs assigned_to, depends_on vs blockedBy, bare array vs wrapped) survive.
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ApplyContext, Effect, EffectResult, NewMessage, Writer } from '../../actions/types.js';
import { ACKS_FILE } from '../../alerts/acks.js';
import { appendLine, isAtomicTempName, readJsonOr, withLock, writeJsonAtomic } from '../../safety/files.js';
import { assertSafeId } from '../../safety/ids.js';
import { applyGitEffect, isGitEffect } from '../../actions/git-effects.js';
import { TEAM_FILES } from './team.js';

/** teamtop's high-water mark of the sequences it allocated (so none is ever reused). */
export const SEQ_FILE = '.mailbox.seq';
const TAIL_BYTES = 256 * 1024;
/** How far back maxSequenceInTail looks at most: 16 lines at the reader's 1 MiB line limit. */
const MAX_TAIL_BYTES = 16 * 1024 * 1024;

export interface NativeWriterOptions {
  /** Who teamtop's messages come from. */
  lead: string;
  /** The state root: git resets and restores never touch it. */
  stateRoot: string;
  now?: () => number;
}

type Rec = Record<string, unknown>;

/**
 * The highest `sequence` among the complete lines at the end of a mailbox: the last TAIL_BYTES,
 * or more (up to MAX_TAIL_BYTES) when those hold no line with a sequence (a huge last line, a
 * run of junk lines) — reading too little would restart the numbering at 1.
 */
export async function maxSequenceInTail(file: string): Promise<number> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    for (let window = TAIL_BYTES; ; window *= 4) {
      const len = Math.min(size, window);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, size - len);
      const lines = buf.toString('utf8').split('\n');
      if (size > len) lines.shift(); // probably cut in the middle
      let max = 0;
      for (const l of lines) {
        if (!l.includes('"sequence"')) continue;
        try {
          const s = (JSON.parse(l) as Rec).sequence;
          if (typeof s === 'number' && Number.isInteger(s) && s > max) max = s;
        } catch {
          // a torn or junk line: not ours to judge here
        }
      }
      if (max > 0 || len === size || window >= MAX_TAIL_BYTES) return max;
    }
  } finally {
    await fh.close();
  }
}

export class NativeWriter implements Writer {
  private readonly now: () => number;

  constructor(readonly dir: string, private readonly opts: NativeWriterOptions) {
    this.now = opts.now ?? Date.now;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  async apply(e: Effect, ctx: ApplyContext): Promise<EffectResult> {
    if (isGitEffect(e)) return applyGitEffect(e, ctx, this.opts.stateRoot);
    switch (e.kind) {
      case 'ack-alert': {
        const file = join(this.dir, ACKS_FILE);
        await withLock(file, async () => {
          const cur = await readJsonOr<{ acks?: Rec }>(file, { acks: {} });
          const acks = { ...(cur.acks ?? {}), [e.alertId]: { evidence: e.fingerprint, at: this.iso(), summary: e.summary } };
          await writeJsonAtomic(file, { ...cur, acks });
        });
        return { effect: e.kind, detail: { alert: e.alertId } };
      }
      case 'append-message': {
        const sequence = await this.appendMessage(e.message, ctx);
        return { effect: e.kind, detail: { sequence } };
      }
      case 'update-task': {
        await this.updateJson(TEAM_FILES.manifest, (raw) => {
          const list = listOf(raw, 'tasks', TEAM_FILES.manifest);
          const rec = list.find((r) => String(r.id ?? r.task_id) === e.taskId);
          if (!rec) throw new Error(`task ${e.taskId} is no longer in ${TEAM_FILES.manifest}`);
          for (const [k, v] of Object.entries(e.set ?? {})) {
            if (k !== 'owner') { rec[k] = v; continue; }
            // Write the owner under the spelling(s) the record already uses.
            const keys = ['owner', 'assigned_to'].filter((x) => x in rec);
            if (keys.length === 0) keys.push('subject' in rec || 'blockedBy' in rec ? 'owner' : 'assigned_to');
            for (const x of keys) rec[x] = v;
          }
          if (e.removeDependency) {
            const d = e.removeDependency;
            for (const key of ['depends_on', 'blockedBy']) {
              if (Array.isArray(rec[key])) rec[key] = (rec[key] as unknown[]).filter((x) => String(x) !== d);
            }
            const other = list.find((r) => String(r.id ?? r.task_id) === d);
            if (other && Array.isArray(other.blocks)) other.blocks = (other.blocks as unknown[]).filter((x) => String(x) !== e.taskId);
          }
          rec.updated_at = this.iso();
          return raw;
        }, null);
        return { effect: e.kind, detail: { task: e.taskId } };
      }
      case 'set-teammate-status': {
        await this.updateJson(TEAM_FILES.teammates, (raw) => {
          const rec = listOf(raw, 'teammates', TEAM_FILES.teammates).find((r) => String(r.id) === e.teammateId);
          if (!rec) throw new Error(`teammate ${e.teammateId} is no longer in ${TEAM_FILES.teammates}`);
          rec.status = e.status;
          return raw;
        }, null);
        return { effect: e.kind, detail: { teammate: e.teammateId, status: e.status } };
      }
      case 'set-team-status': {
        await this.updateJson(TEAM_FILES.team, (raw) => {
          const t = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Rec;
          t.team_status = e.status;
          return t;
        }, {});
        return { effect: e.kind, detail: { status: e.status } };
      }
      case 'write-checkpoint': {
        assertSafeId('teammate', e.teammateId);
        const dir = join(this.dir, TEAM_FILES.checkpoints);
        await fsp.mkdir(dir, { recursive: true });
        const name = `${e.teammateId}-${e.stamp}.json`;
        await writeLocked(join(dir, safeFileName(name)), e.checkpoint);
        await writeLocked(join(dir, `${e.teammateId}-latest.json`), e.checkpoint);
        return { effect: e.kind, detail: { file: `${TEAM_FILES.checkpoints}/${name}` } };
      }
      case 'write-record': {
        const data = e.commitInto && ctx.commit ? { ...e.data, [e.commitInto]: ctx.commit } : e.data;
        await writeLocked(join(this.dir, safeFileName(e.file)), data);
        return { effect: e.kind, detail: { file: e.file } };
      }
      case 'copy-dir': {
        const to = join(dirname(this.dir), safeFileName(e.to));
        if (dirname(to) !== dirname(this.dir) || !e.to.startsWith(`${basename(this.dir)}.ABORTED-`)) {
          throw new Error(`refusing to copy the team directory to ${e.to}`);
        }
        await fsp.cp(this.dir, to, {
          recursive: true, errorOnExist: true, force: false,
          // Neither lock directories nor temp files left by killed writers.
          filter: (src) => !src.endsWith('.lock') && !src.includes('.lock/') && !isAtomicTempName(basename(src)),
        });
        return { effect: e.kind, detail: { to: e.to } };
      }
    }
  }



  private async updateJson(name: string, edit: (raw: unknown) => unknown, fallback: unknown): Promise<void> {
    const file = join(this.dir, name);
    await withLock(file, async () => {
      const raw = await readJsonOr<unknown>(file, fallback);
      if (raw === null) throw new Error(`${name} does not exist`);
      await writeJsonAtomic(file, edit(raw));
    });
  }

  /** Appends one message with the next free sequence; returns the sequence. */
  async appendMessage(m: NewMessage, ctx: ApplyContext = {}): Promise<number> {
    const file = join(this.dir, TEAM_FILES.mailbox);
    const seqFile = join(this.dir, SEQ_FILE);
    return withLock(file, async () => {
      const hwm = Number((await readText(seqFile)).trim()) || 0;
      const sequence = Math.max(hwm, await maxSequenceInTail(file)) + 1;
      let payload = m.payload;
      if (m.commitInto && ctx.commit && payload && typeof payload === 'object') payload = { ...(payload as Rec), [m.commitInto]: ctx.commit };
      const line = { sequence, timestamp: this.iso(), from: this.opts.lead, to: m.to, type: m.type, priority: m.priority, payload, ...(m.fields ?? {}) };
      // Under the lock, an unterminated last line is what a writer killed mid-write left: close
      // it, so this message is a line of its own.
      await appendLine(file, JSON.stringify(line), 'close');
      // .mailbox.seq is only ever written under the mailbox lock (writeJsonAtomic's condition).
      await writeJsonAtomic(seqFile, sequence);
      return sequence;
    });
  }

  /**
   * One line in actions.jsonl, under its lock: a record torn by a process killed mid-write is
   * cut off first, so the log never holds a broken line (nothing else writes or tails it).
   */
  async record(entry: Record<string, unknown>): Promise<void> {
    const file = join(this.dir, TEAM_FILES.actions);
    await withLock(file, () => appendLine(file, JSON.stringify(entry), 'cut'));
  }
}

/** A whole-file write under the file's own lock (records and checkpoints may be rewritten). */
function writeLocked(file: string, value: unknown): Promise<void> {
  return withLock(file, () => writeJsonAtomic(file, value));
}

function listOf(raw: unknown, key: string, file: string): Rec[] {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? (raw as Rec)[key] : undefined;
  if (!Array.isArray(list)) throw new Error(`${file} is not an array or {"${key}": [...]}`);
  return list as Rec[];
}

function safeFileName(name: string): string {
  if (!/^[A-Za-z0-9_#+=,%@-][A-Za-z0-9_#+=,%@.-]*$/.test(name) || name.includes('..') || name.length > 200) {
    throw new Error(`refusing to write a file named ${JSON.stringify(name)}`);
  }
  return name;
}

async function readText(file: string): Promise<string> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}
