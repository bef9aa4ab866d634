// One `omc team` team directory (<project>/.omc/state/team/<team>/) as a snapshot. The files are
// rewritten whole (tmp + rename) by their writers; a change re-reads the part it belongs to (the
// config with the workers' files, the tasks, the mailboxes; events.jsonl from where it was read to).
// A file that does not parse or validate is an error naming it, and the rest still shows.
import { promises as fsp } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import type { StateError } from '../../model/types.js';
import type { TeamSnapshot } from '../../model/snapshot.js';
import type { RollbackJournal } from '../../ports/effects.js';
import { ACKS_FILE, acksFileSchema } from '../../ports/acks.js';
import { ROLLBACK_FILE } from '../../ports/effects.js';
import { rollbackJournalSchema } from '../../model/schemas.js';
import { readJsonFile } from '../../files/json.js';
import {
  checkedConfigSchema, configSchema, heartbeatSchema, mailboxSchema, statusSchema, taskSchema, workersOf,
} from './schemas.js';
import { buildOmcSnapshot, heartbeatProblem, type OmcParts, type OmcSnapshotInput, type PidProbe } from './snapshot.js';
import { EventsLog } from './events.js';
import type { PaneProbe } from '../../tmux/panes.js';

/** The parts of a team's files, each re-read on its own when one of its files changes. */
type Part = 'config' | 'tasks' | 'mailbox' | 'events' | 'records';
const PARTS: readonly Part[] = ['config', 'tasks', 'mailbox', 'events', 'records'];

/** The part a changed path belongs to (the workers' files go with the config that lists them). */
function partOf(rel: string): Part | null {
  if (rel === 'config.json' || rel === 'workers' || rel.startsWith('workers/')) return 'config';
  if (rel === 'tasks' || rel.startsWith('tasks/')) return 'tasks';
  if (rel === 'mailbox' || rel.startsWith('mailbox/')) return 'mailbox';
  if (rel === 'events.jsonl') return 'events';
  return null;
}

/** A task file's number (tasks/task-<n>.json), or null for any other file. */
const TASK_FILE = /^task-(\d{1,20})\.json$/;
/** omc's worker names (contracts.js); the leader's mailbox is leader-fixed. */
export const WORKER_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A mailbox file (mailbox/<worker>.json; locks and temporary files are other names). */
const MAILBOX_FILE = /^([a-z0-9][a-z0-9-]{0,63})\.json$/;

export class OmcTeam {
  private version = 0;
  private current: TeamSnapshot | null = null;
  private input: Omit<OmcSnapshotInput, 'version' | 'panes'> | null = null;
  private parts: OmcParts = { config: null, heartbeats: new Map(), statuses: new Map(), tasks: [], mailboxes: new Map(), events: [] };
  private records: { acks: Map<string, string>; rollback: RollbackJournal | null } = { acks: new Map(), rollback: null };
  private errors = new Map<Part, StateError[]>();
  private readonly events = new EventsLog();
  private panes: PaneProbe | null = null;

  constructor(
    readonly id: string,
    readonly dir: string,
    /** The project directory (the one holding .omc/): where `omc team api` runs. */
    readonly project: string,
    readonly recordsDir: string,
    private readonly now: () => number,
    private readonly probe?: PidProbe,
    private readonly repo: { repo: string | null; baseRef: string | null } = { repo: null, baseRef: null },
  ) {}

  snapshot(): TeamSnapshot {
    if (!this.current) throw new Error(`team ${this.id} not loaded`);
    return this.current;
  }

  /** Reads every file of the team again. */
  async load(): Promise<void> {
    for (const part of PARTS) await this.read(part);
    this.rebuild();
  }

  /** A change at `rel` (a path inside the team directory): re-reads the part it belongs to. */
  async onPath(rel: string): Promise<boolean> {
    const part = partOf(rel);
    if (!part || !this.input) return false;
    await this.read(part);
    this.rebuild();
    return true;
  }

  /** teamtop's own records (outside the watched directory): re-read; true when they changed. */
  async reloadRecords(): Promise<boolean> {
    const key = (): string => JSON.stringify([[...this.records.acks], this.records.rollback]);
    const before = key();
    await this.read('records');
    if (key() === before) return false;
    this.rebuild();
    return true;
  }

  private async read(part: Part): Promise<void> {
    const errors: StateError[] = [];
    const at = this.now();
    const fail = (file: string, line: number | null, message: string): void => { errors.push({ file, line, message, at }); };
    const read = async <S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | null> => {
      const r = await readJsonFile(file, schema);
      if (r.ok) return r.value;
      if (!r.missing) fail(file, r.line, r.message);
      return null;
    };
    const p = this.parts;
    if (part === 'config') {
      const rawConfig = await read(join(this.dir, 'config.json'), configSchema);
      const checked = rawConfig ? workersOf(rawConfig.workers) : null;
      for (const problem of checked?.problems ?? []) fail(join(this.dir, 'config.json'), null, problem);
      p.config = rawConfig && checked ? checkedConfigSchema.parse({ ...rawConfig, workers: checked.workers }) : null;
      if (!p.config && !errors.length) fail(join(this.dir, 'config.json'), null, 'missing: a team directory without config.json');
      p.heartbeats = new Map();
      p.statuses = new Map();
      const workersLinked = await linked(join(this.dir, 'workers'), fail);
      for (const w of p.config?.workers ?? []) {
        // A name becomes a path only when it is one omc itself accepts.
        if (!WORKER_NAME.test(w.name)) {
          fail(join(this.dir, 'config.json'), null, `worker name ${JSON.stringify(w.name)} is not one omc accepts: its files are not read`);
          continue;
        }
        const dir = join(this.dir, 'workers', w.name);
        if (workersLinked || await linked(dir, fail)) continue;
        const hb = await read(join(dir, 'heartbeat.json'), heartbeatSchema);
        if (hb) {
          p.heartbeats.set(w.name, hb);
          const problem = heartbeatProblem(hb.last_turn_at, at);
          if (problem) fail(join(dir, 'heartbeat.json'), null, problem);
        }
        const st = await read(join(dir, 'status.json'), statusSchema);
        if (st) p.statuses.set(w.name, st);
      }
    } else if (part === 'tasks') {
      p.tasks = [];
      const taskNames = await linked(join(this.dir, 'tasks'), fail) ? [] : await names(join(this.dir, 'tasks'));
      for (const name of taskNames) {
        const m = TASK_FILE.exec(name);
        if (!m) continue;
        const file = join(this.dir, 'tasks', name);
        const t = await read(file, taskSchema);
        if (!t) continue;
        if (t.id !== m[1]) fail(file, null, `id ${JSON.stringify(t.id)} is not the file's number (${m[1]}): not read`);
        else p.tasks.push(t);
      }
      p.tasks.sort((a, b) => Number(a.id) - Number(b.id));
    } else if (part === 'mailbox') {
      p.mailboxes = new Map();
      const boxNames = await linked(join(this.dir, 'mailbox'), fail) ? [] : await names(join(this.dir, 'mailbox'));
      for (const name of boxNames) {
        const m = MAILBOX_FILE.exec(name);
        if (!m) continue;
        const box = await read(join(this.dir, 'mailbox', name), mailboxSchema);
        if (box) p.mailboxes.set(m[1]!, box.messages);
      }
    } else if (part === 'events') {
      p.events = await this.events.read(join(this.dir, 'events.jsonl'), fail);
    } else {
      this.records = await this.readRecords();
    }
    this.errors.set(part, errors);
  }

  /** The workers' tmux pane ids, as config.json names them. */
  paneIds(): string[] {
    return (this.input?.parts.config?.workers ?? []).flatMap((w) => (w.pane_id ? [w.pane_id] : []));
  }

  /** The tmux server omc recorded for the team (an absolute socket path), or null. */
  tmuxSocket(): string | null {
    const id = this.input?.parts.config?.tmux_server_identity;
    const path = id && typeof id === 'object' ? (id as { socket_path?: unknown }).socket_path : null;
    return typeof path === 'string' && isAbsolute(path) && !path.includes('\0') && path.length < 4096 ? path : null;
  }

  /** What tmux said of the panes; true when a worker's liveness changed. */
  setPanes(probe: PaneProbe): boolean {
    const liveness = (): string => this.current?.teammates.map((t) => t.liveness?.signal ?? '').join('\n') ?? '';
    const before = liveness();
    this.panes = probe;
    this.rebuild();
    return liveness() !== before;
  }

  private rebuild(): void {
    this.input = {
      id: this.id, dir: this.dir, project: this.project, recordsDir: this.recordsDir, now: this.now, probe: this.probe, repo: this.repo,
      parts: { ...this.parts }, errors: PARTS.flatMap((part) => this.errors.get(part) ?? []), ...this.records,
    };
    this.version++;
    this.current = buildOmcSnapshot({ ...this.input, version: this.version, panes: this.panes });
  }

  /** teamtop's own records of the team: alert acknowledgements and the last rollback's journal. */
  private async readRecords(): Promise<{ acks: Map<string, string>; rollback: RollbackJournal | null }> {
    const a = await readJsonFile(join(this.recordsDir, ACKS_FILE), acksFileSchema);
    const r = await readJsonFile(join(this.recordsDir, ROLLBACK_FILE), rollbackJournalSchema);
    return {
      acks: a.ok ? new Map(Object.entries(a.value.acks).map(([id, v]) => [id, v.evidence])) : new Map(),
      rollback: r.ok ? (r.value as RollbackJournal) : null,
    };
  }
}

/**
 * Whether `path` is a symbolic link (then an error names it): a team's directories are read only
 * when they are real directories, so a link cannot make teamtop read files outside the team.
 */
async function linked(path: string, fail: (file: string, line: number | null, message: string) => void): Promise<boolean> {
  const st = await fsp.lstat(path).catch(() => null);
  if (!st?.isSymbolicLink()) return false;
  fail(path, null, 'a symbolic link: not read (a team\'s directories must be real directories)');
  return true;
}

/** The names in a directory, sorted; none when it does not exist. */
async function names(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir)).sort();
  } catch {
    return [];
  }
}
