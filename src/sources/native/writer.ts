// Effects on the native team-state format. Whole-file updates are a locked read-modify-write with
// an atomic replace; a message is one line appended with one write, its sequence allocated under
// the mailbox lock. Records are edited in place, so unknown fields and the file's own field
// variants (owner vs assigned_to, depends_on vs blockedBy, bare array vs wrapped) survive. Every
// path is written through the guarded file layer (src/files): inside the state root, no symbolic
// link at any component, regular files only.
import { basename, join } from 'node:path';
import type { ApplyContext, Effect, EffectResult, NewMessage, RollbackJournal, Writer } from '../../ports/effects.js';
import { ACKS_FILE } from '../../ports/acks.js';
import { guardLockDir, guardPath } from '../../files/guard.js';
import { appendLine, mkdirGuarded, readJsonOr, withLock, writeJsonAtomic } from '../../files/write.js';
import { archiveTeamDir } from '../../files/archive.js';
import { assertSafeId, fileNameProblem } from '../../safety/ids.js';
import { safeJson } from '../../safety/sanitize.js';
import { applyGitEffect, checkGitEffect, isGitEffect } from '../../git/effects.js';
import { TEAM_FILES } from './files.js';
import { allocateSequence, SEQ_FILE } from './sequence.js';

export { SEQ_FILE };

export interface NativeWriterOptions {
  /** Who teamtop's messages come from. */
  lead: string;
  /** The state root: every write stays inside it, and git resets and restores never touch it. */
  stateRoot: string;
  now?: () => number;
}

type Rec = Record<string, unknown>;

export class NativeWriter implements Writer {
  private readonly now: () => number;
  private readonly root: string;

  constructor(readonly dir: string, private readonly opts: NativeWriterOptions) {
    this.now = opts.now ?? Date.now;
    this.root = opts.stateRoot;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  private path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** The files an effect writes, checked before a plan writes anything. */
  async check(e: Effect, earlier: readonly Effect[] = []): Promise<void> {
    // Each file is written under its `<file>.lock`: both must be safe.
    const file = async (p: string): Promise<void> => { await guardPath(this.root, p, { final: 'file' }); await guardLockDir(p); };
    const dir = (p: string): Promise<string> => guardPath(this.root, p, { final: 'dir' });
    switch (e.kind) {
      case 'ack-alert': await file(this.path(ACKS_FILE)); break;
      case 'append-message':
        await file(this.path(TEAM_FILES.mailbox));
        await file(this.path(SEQ_FILE));
        // A sequence that cannot be allocated refuses the plan now, before any effect ran (the
        // allocation is read-only until the line is appended).
        await allocateSequence(this.path(TEAM_FILES.mailbox), this.path(SEQ_FILE));
        break;
      case 'update-task': await file(this.path(TEAM_FILES.manifest)); break;
      case 'set-teammate-status': await file(this.path(TEAM_FILES.teammates)); break;
      case 'set-team-status': await file(this.path(TEAM_FILES.team)); break;
      case 'write-checkpoint':
        await dir(this.path(TEAM_FILES.checkpoints));
        await file(this.path(TEAM_FILES.checkpoints, `${assertSafeId('teammate', e.teammateId)}-latest.json`));
        await file(this.path(TEAM_FILES.checkpoints, safeFileName(`${e.teammateId}-${e.stamp}.json`)));
        break;
      case 'write-record': await file(this.path(safeFileName(e.file))); break;
      case 'copy-dir': await guardPath(this.root, join(this.root, archiveName(this.dir, e.to)), { final: 'dir', mustNotExist: true }); break;
      default:
        if (isGitEffect(e)) await checkGitEffect(e, [this.root, this.dir], earlier);
        break;
    }
  }

  async apply(e: Effect, ctx: ApplyContext): Promise<EffectResult> {
    if (isGitEffect(e)) return applyGitEffect(e, ctx, [this.root, this.dir]);
    switch (e.kind) {
      case 'ack-alert': {
        const file = this.path(ACKS_FILE);
        await withLock(this.root, file, async () => {
          const cur = await readJsonOr<{ acks?: Rec }>(file, { acks: {} });
          const acks = { ...(cur.acks ?? {}), [e.alertId]: { evidence: e.fingerprint, at: this.iso(), summary: e.summary } };
          await writeJsonAtomic(this.root, file, { ...cur, acks });
        });
        return { effect: e.kind, detail: { alert: e.alertId } };
      }
      case 'append-message': {
        const sequence = await this.appendMessage(e.message, ctx);
        return { effect: e.kind, detail: { sequence } };
      }
      case 'update-task': {
        const [r] = await this.applyTaskUpdates([e]);
        return r!;
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
        await mkdirGuarded(this.root, this.path(TEAM_FILES.checkpoints));
        const name = safeFileName(`${e.teammateId}-${e.stamp}.json`);
        await this.writeLocked(this.path(TEAM_FILES.checkpoints, name), e.checkpoint);
        await this.writeLocked(this.path(TEAM_FILES.checkpoints, `${e.teammateId}-latest.json`), e.checkpoint);
        return { effect: e.kind, detail: { file: `${TEAM_FILES.checkpoints}/${name}` } };
      }
      case 'write-record': {
        const data = e.commitInto && ctx.commit ? { ...e.data, [e.commitInto]: ctx.commit } : e.data;
        await this.writeLocked(this.path(safeFileName(e.file)), data);
        return { effect: e.kind, detail: { file: e.file } };
      }
      case 'copy-dir': {
        const r = await archiveTeamDir(this.root, this.dir, archiveName(this.dir, e.to));
        return { effect: e.kind, detail: { to: e.to, files: r.files, ...(r.skipped.length ? { skipped: r.skipped } : {}) } };
      }
    }
  }

  /** Several task updates as one locked rewrite of team-manifest.json: all of them or none. */
  async applyTaskUpdates(effects: Array<Extract<Effect, { kind: 'update-task' }>>): Promise<EffectResult[]> {
    await this.updateJson(TEAM_FILES.manifest, (raw) => {
      const list = listOf(raw, 'tasks', TEAM_FILES.manifest);
      const byId = new Map<string, Rec>();
      for (const r of list) {
        const id = String(r.id ?? r.task_id);
        if (!byId.has(id)) byId.set(id, r);
      }
      const at = this.iso();
      for (const e of effects) editTask(byId, e, at);
      return raw;
    }, null);
    return effects.map((e) => ({ effect: e.kind, detail: { task: e.taskId } }));
  }

  private async updateJson(name: string, edit: (raw: unknown) => unknown, fallback: unknown): Promise<void> {
    const file = this.path(name);
    await withLock(this.root, file, async () => {
      const raw = await readJsonOr<unknown>(file, fallback);
      if (raw === null) throw new Error(`${name} does not exist`);
      await writeJsonAtomic(this.root, file, edit(raw));
    });
  }

  /** A whole-file write under the file's own lock (records and checkpoints may be rewritten). */
  private writeLocked(file: string, value: unknown): Promise<void> {
    return withLock(this.root, file, () => writeJsonAtomic(this.root, file, value));
  }

  /** Appends one message with the next free sequence; returns the sequence. */
  async appendMessage(m: NewMessage, ctx: ApplyContext = {}): Promise<number> {
    const file = this.path(TEAM_FILES.mailbox);
    const seqFile = this.path(SEQ_FILE);
    return withLock(this.root, file, async () => {
      const { sequence, counter } = await allocateSequence(file, seqFile);
      let payload = m.payload;
      if (m.commitInto && ctx.commit && payload && typeof payload === 'object') payload = { ...(payload as Rec), [m.commitInto]: ctx.commit };
      const line = { sequence, timestamp: this.iso(), from: this.opts.lead, to: m.to, type: m.type, priority: m.priority, payload, ...(m.fields ?? {}) };
      // Under the lock, an unterminated last line is what a writer killed mid-write left: close
      // it, so this message is a line of its own.
      await appendLine(this.root, file, JSON.stringify(line), 'close');
      // .mailbox.seq is only ever written under the mailbox lock.
      await writeJsonAtomic(this.root, seqFile, counter);
      return sequence;
    });
  }

  /**
   * One line in actions.jsonl, under its lock: a record torn by a process killed mid-write is
   * cut off first, so the log never holds a broken line (nothing else writes or tails it).
   */
  async record(entry: Record<string, unknown>): Promise<void> {
    const file = this.path(TEAM_FILES.actions);
    await withLock(this.root, file, () => appendLine(this.root, file, JSON.stringify(entry), 'cut'));
  }

  async checkRecord(journal = false): Promise<void> {
    for (const name of journal ? [TEAM_FILES.actions, TEAM_FILES.rollback] : [TEAM_FILES.actions]) {
      await guardPath(this.root, this.path(name), { final: 'file' });
      await guardLockDir(this.path(name));
    }
  }

  async writeRollback(r: RollbackJournal): Promise<void> {
    await this.writeLocked(this.path(TEAM_FILES.rollback), r);
  }
}

/** The archive's directory name: a sibling of the team directory named `<team>.ABORTED-<ts>`. */
function archiveName(teamDir: string, to: string): string {
  if (!to.startsWith(`${basename(teamDir)}.ABORTED-`)) throw new Error(`refusing to copy the team directory to ${to}`);
  return safeFileName(to);
}

/** One update-task effect on the manifest's records (found by id), in the record's own spelling. */
function editTask(byId: Map<string, Rec>, e: Extract<Effect, { kind: 'update-task' }>, at: string): void {
  const rec = byId.get(e.taskId);
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
    const other = byId.get(d);
    if (other && Array.isArray(other.blocks)) other.blocks = (other.blocks as unknown[]).filter((x) => String(x) !== e.taskId);
  }
  rec.updated_at = at;
}

function listOf(raw: unknown, key: string, file: string): Rec[] {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? (raw as Rec)[key] : undefined;
  if (!Array.isArray(list)) throw new Error(`${file} is not an array or {"${key}": [...]}`);
  return list as Rec[];
}

function safeFileName(name: string): string {
  const p = fileNameProblem(name);
  if (p) throw new Error(`refusing to write a file named ${safeJson(name)}: it ${p}`);
  return name;
}
