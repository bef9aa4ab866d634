// One native team directory, loaded into the model and kept current file by file. Each file keeps
// its last good contents: a file that stops parsing leaves the previous data in place and adds
// an error naming the file, the line and the problem.
import { promises as fsp } from 'node:fs';
import { join, basename } from 'node:path';
import {
  teamFileSchema, teammatesFileSchema, manifestFileSchema, checkpointSchema, rollbackJournalSchema,
  normalizeTeam, normalizeTeammate, normalizeTask, normalizeCheckpoint,
  type TeamFile, type TeammateRecord, type TaskRecord,
} from '../../model/schemas.js';
import type { Checkpoint, StateError, Task, TeamInfo, Teammate } from '../../model/types.js';
import type { TeamSnapshot } from '../../model/snapshot.js';
import type { RollbackJournal } from '../../ports/effects.js';
import { readJsonFile } from '../../files/json.js';
import { acksFileSchema } from '../../ports/acks.js';
import { MailboxLog } from './mailbox-log.js';
import { EventsLog, MAX_LISTED_ERRORS } from './events-log.js';
import { TEAM_FILES } from './files.js';
import { NATIVE_FORMAT } from './format.js';

const KNOWN_FILES = new Set<string>([TEAM_FILES.team, TEAM_FILES.teammates, TEAM_FILES.manifest, TEAM_FILES.mailbox]);

const EMPTY_INFO: TeamInfo = {
  status: null, createdAt: null, leadSessionId: null, repo: null, baseRef: null, extra: {},
  lead: { id: null, lastHeartbeat: null, status: null, activitySignal: null },
};

/** True when a directory holds at least one native state file. */
export async function looksLikeTeamDir(dir: string | Buffer): Promise<boolean> {
  try {
    const names = await fsp.readdir(dir);
    return names.some((n) => KNOWN_FILES.has(n));
  } catch {
    return false;
  }
}

interface FileError { line: number | null; message: string; at: number }

export class NativeTeam {
  private info: TeamInfo = EMPTY_INFO;
  private teammates: Teammate[] = [];
  private tasks: Task[] = [];
  private checkpoints = new Map<string, Checkpoint>(); // by file name
  private fileErrors = new Map<string, FileError>();
  /** The text each JSON file had when last read: an identical re-read changes nothing. */
  private lastText = new Map<string, string | null>();
  private teammatesSeen = false;
  private acks = new Map<string, string>();
  private rollback: RollbackJournal | null = null;
  readonly mailbox: MailboxLog;
  private readonly events: EventsLog;
  private cached: TeamSnapshot | null = null;
  private version = 0;

  constructor(readonly id: string, readonly dir: string, private readonly now: () => number = Date.now) {
    this.mailbox = new MailboxLog(join(dir, TEAM_FILES.mailbox), TEAM_FILES.mailbox, now);
    this.events = new EventsLog(join(dir, TEAM_FILES.events), TEAM_FILES.events, now,
      (message) => this.setError(TEAM_FILES.events, message === null ? null : { line: null, message }));
  }

  /** Set while a large mailbox is indexed in the background. */
  indexing: Promise<void> | null = null;
  /** Set when large mailboxes are indexed in the background: called as that pass progresses. */
  private onBackground: (() => void) | null = null;

  /** Starts indexing a large mailbox in the background (its tail shows meanwhile); false if not. */
  private async indexInBackground(): Promise<boolean> {
    const progress = this.onBackground;
    if (!progress) return false;
    const started = await this.mailbox.startTailFirst(() => { this.changed(); progress(); });
    if (!started) return false;
    // The pass settles its own errors; nothing it does may become an unhandled rejection.
    this.indexing = started.pass.catch(() => undefined).finally(() => { this.indexing = null; });
    return true;
  }

  /** A large file put in the mailbox's place, or a large burst, is indexed like one found at the start. */
  private async mailboxChanged(): Promise<boolean> {
    const pass = this.onBackground ? await this.mailbox.needsPass() : null;
    if (pass !== null) {
      if (pass === 'replaced') this.mailbox.rewind();
      if (await this.indexInBackground()) {
        this.changed();
        return true;
      }
    }
    return this.mailbox.poll();
  }

  /**
   * Loads everything (first load). With `background`, a large mailbox is indexed after this
   * returns (its tail shows meanwhile); `onBackground` is called as that pass progresses.
   */
  async loadAll(opts: { background?: boolean; onBackground?: () => void } = {}): Promise<void> {
    if (opts.background) this.onBackground = opts.onBackground ?? ((): void => undefined);
    const mailbox = async (): Promise<void> => {
      if (!(await this.indexInBackground())) await this.mailbox.poll();
    };
    await Promise.all([
      this.loadTeamFile(), this.loadTeammates(), this.loadManifest(), this.loadCheckpoints(), this.loadAcks(), this.loadRollback(),
      this.events.poll(), mailbox(),
    ]);
    this.changed();
  }

  /**
   * Reloads what a changed path affects. `rel` is relative to the team directory.
   * Resolves true when the snapshot changed.
   */
  async onPathChanged(rel: string): Promise<boolean> {
    const parts = rel.split(/[\\/]/);
    const name = parts[0];
    let changed: boolean;
    if (parts.length === 1) {
      switch (name) {
        case TEAM_FILES.team: changed = await this.loadTeamFile(); break;
        case TEAM_FILES.teammates: changed = await this.loadTeammates(); break;
        case TEAM_FILES.manifest: changed = await this.loadManifest(); break;
        // While the background pass runs, this reads only what was appended since it began.
        case TEAM_FILES.mailbox: changed = await this.mailboxChanged(); break;
        case TEAM_FILES.events: changed = await this.events.poll(); break;
        case TEAM_FILES.acks: changed = await this.loadAcks(); break;
        case TEAM_FILES.rollback: changed = await this.loadRollback(); break;
        default: changed = false;
      }
    } else if (name === TEAM_FILES.checkpoints && parts.length === 2) {
      changed = await this.loadCheckpoint(parts[1]!);
    } else {
      changed = false;
    }
    if (changed) this.changed();
    return changed;
  }

  private changed(): void {
    this.cached = null;
    this.version++;
  }

  private setError(file: string, e: { line: number | null; message: string } | null): void {
    if (e === null) this.fileErrors.delete(file);
    else {
      const prev = this.fileErrors.get(file);
      this.fileErrors.set(file, { ...e, at: prev && prev.message === e.message ? prev.at : this.now() });
    }
  }

  /** False when the file reads exactly as last time (nothing to do). */
  private same(file: string, r: { ok: boolean; missing?: boolean; text?: string }): boolean {
    const text = r.ok || !r.missing ? (r.text ?? null) : null;
    if (this.lastText.has(file) && this.lastText.get(file) === text) return true;
    this.lastText.set(file, text);
    return false;
  }

  private async loadTeamFile(): Promise<boolean> {
    const r = await readJsonFile(join(this.dir, TEAM_FILES.team), teamFileSchema);
    if (this.same(TEAM_FILES.team, r)) return false;
    if (r.ok) {
      this.info = normalizeTeam(r.value as TeamFile);
      this.setError(TEAM_FILES.team, null);
    } else if (r.missing) {
      this.info = EMPTY_INFO;
      this.setError(TEAM_FILES.team, null);
    } else this.setError(TEAM_FILES.team, r);
    return true;
  }

  private async loadTeammates(): Promise<boolean> {
    const r = await readJsonFile(join(this.dir, TEAM_FILES.teammates), teammatesFileSchema);
    if (this.same(TEAM_FILES.teammates, r)) return false;
    if (r.ok) {
      const prev = new Map(this.teammates.map((t) => [t.id, t]));
      this.teammates = (r.value as TeammateRecord[]).map((rec) => {
        const t = normalizeTeammate(rec, r.mtimeMs);
        const before = prev.get(t.id);
        if (before) {
          t.pendingHistory = before.pendingHistory;
          if (before.messagesPending !== null && before.messagesPending !== t.messagesPending) {
            t.pendingHistory = [...before.pendingHistory, before.messagesPending].slice(-4);
          }
        }
        return t;
      });
      this.teammatesSeen = true;
      this.setError(TEAM_FILES.teammates, null);
    } else if (r.missing) {
      this.setError(TEAM_FILES.teammates, { line: null, message: 'required file is missing' });
    } else this.setError(TEAM_FILES.teammates, r);
    return true;
  }

  private async loadManifest(): Promise<boolean> {
    const r = await readJsonFile(join(this.dir, TEAM_FILES.manifest), manifestFileSchema);
    if (this.same(TEAM_FILES.manifest, r)) return false;
    if (r.ok) {
      this.tasks = (r.value as TaskRecord[]).map(normalizeTask);
      this.setError(TEAM_FILES.manifest, null);
    } else if (r.missing) {
      this.tasks = [];
      this.setError(TEAM_FILES.manifest, null);
    } else this.setError(TEAM_FILES.manifest, r);
    return true;
  }

  private async loadAcks(): Promise<boolean> {
    const r = await readJsonFile(join(this.dir, TEAM_FILES.acks), acksFileSchema);
    if (this.same(TEAM_FILES.acks, r)) return false;
    if (r.ok) {
      this.acks = new Map(Object.entries(r.value.acks).map(([id, v]) => [id, v.evidence]));
      this.setError(TEAM_FILES.acks, null);
    } else if (r.missing) {
      this.acks = new Map();
      this.setError(TEAM_FILES.acks, null);
    } else this.setError(TEAM_FILES.acks, r);
    return true;
  }

  private async loadRollback(): Promise<boolean> {
    const r = await readJsonFile(join(this.dir, TEAM_FILES.rollback), rollbackJournalSchema);
    if (this.same(TEAM_FILES.rollback, r)) return false;
    this.rollback = r.ok ? (r.value as RollbackJournal) : null;
    this.setError(TEAM_FILES.rollback, r.ok || r.missing ? null : r);
    return true;
  }

  private async loadCheckpoints(): Promise<void> {
    let names: string[];
    const dir = join(this.dir, TEAM_FILES.checkpoints);
    try {
      // A linked checkpoints/ is not followed (it could point anywhere): reported, not read.
      if ((await fsp.lstat(dir)).isSymbolicLink()) {
        this.checkpoints.clear();
        this.setError(TEAM_FILES.checkpoints, { line: null, message: 'is a symbolic link: not read' });
        return;
      }
      names = await fsp.readdir(dir);
    } catch {
      this.checkpoints.clear();
      return;
    }
    this.setError(TEAM_FILES.checkpoints, null);
    await Promise.all(names.filter(isCheckpointFile).map((n) => this.loadCheckpoint(n)));
  }

  private async loadCheckpoint(name: string): Promise<boolean> {
    if (!isCheckpointFile(name)) return false;
    const rel = `${TEAM_FILES.checkpoints}/${name}`;
    const r = await readJsonFile(join(this.dir, TEAM_FILES.checkpoints, name), checkpointSchema);
    if (r.ok) {
      const fallback = basename(name, '.json').replace(/-(latest|\d[\dTZ:.-]*)$/, '');
      this.checkpoints.set(name, normalizeCheckpoint(r.value, rel, fallback));
      this.setError(rel, null);
    } else if (r.missing) {
      this.checkpoints.delete(name);
      this.setError(rel, null);
    } else this.setError(rel, r);
    return true;
  }

  snapshot(): TeamSnapshot {
    if (this.cached) return this.cached;
    const errors: StateError[] = [];
    let unlisted = 0;
    const add = (e: StateError): void => {
      if (errors.length < MAX_LISTED_ERRORS) errors.push(e);
      else unlisted++;
    };
    for (const [file, e] of this.fileErrors) add({ file, line: e.line, message: e.message, at: e.at });
    const mailbox = this.mailbox.view();
    if (this.mailbox.problem) add({ file: TEAM_FILES.mailbox, line: null, message: this.mailbox.problem, at: this.now() });
    for (const e of this.events.errors) add(e);
    for (const e of this.mailbox.errors) add(e);
    if (unlisted > 0) {
      errors.push({ file: this.id, line: null, at: this.now(), count: unlisted, message: `${unlisted} more problems not listed` });
    }
    const skippedEvents = this.events.errorCount - this.events.errors.length;
    if (skippedEvents > 0) {
      errors.push({
        file: TEAM_FILES.events, line: null, at: this.now(), count: skippedEvents,
        message: `${skippedEvents} more malformed lines skipped`,
      });
    }
    const skippedUnlisted = mailbox.aggregates.skipped - this.mailbox.errors.length;
    if (skippedUnlisted > 0) {
      errors.push({
        file: TEAM_FILES.mailbox, line: null, at: this.now(), count: skippedUnlisted,
        message: `${skippedUnlisted} more malformed lines skipped`,
      });
    }
    // Checkpoints by teammate, oldest first; `<id>-latest.json` duplicates the newest one.
    const byTeammate = new Map<string, Checkpoint[]>();
    const seen = new Set<string>();
    const sorted = [...this.checkpoints.values()].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    for (const c of sorted) {
      const key = `${c.teammateId}\u0000${c.checkpointId ?? c.file}\u0000${c.timestamp}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let l = byTeammate.get(c.teammateId);
      if (!l) byTeammate.set(c.teammateId, (l = []));
      l.push(c);
    }
    this.cached = {
      id: this.id,
      source: 'native',
      dir: this.dir,
      info: this.info,
      teammates: this.teammatesSeen ? this.teammates : [],
      tasks: this.tasks,
      mailbox,
      events: this.events.events,
      checkpoints: byTeammate,
      errors,
      format: NATIVE_FORMAT,
      capabilities: NATIVE_FORMAT.capabilities,
      acks: this.acks,
      rollback: this.rollback,
      version: this.version,
    };
    return this.cached;
  }
}

function isCheckpointFile(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.');
}
