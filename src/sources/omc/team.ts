// One `omc team` team directory (<project>/.omc/state/team/<team>/) read whole into a snapshot.
// The files are small and rewritten whole (tmp + rename) by their writers, so any change re-reads
// the team; a file that does not parse or validate is an error naming it, and the rest still shows.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { StateError, TeamEvent } from '../../model/types.js';
import type { TeamSnapshot } from '../../model/snapshot.js';
import type { RollbackJournal } from '../../ports/effects.js';
import { ACKS_FILE, acksFileSchema } from '../../ports/acks.js';
import { ROLLBACK_FILE } from '../../ports/effects.js';
import { describeZodError, rollbackJournalSchema } from '../../model/schemas.js';
import { parseJson, readJsonFile } from '../../files/json.js';
import { readRegularText } from '../../files/read.js';
import {
  configSchema, eventSchema, heartbeatSchema, mailboxSchema, statusSchema, taskSchema,
  type OmcHeartbeat, type OmcMessage, type OmcStatus, type OmcTask,
} from './schemas.js';
import { buildOmcSnapshot, type OmcSnapshotInput, type PidProbe } from './snapshot.js';
import type { PaneProbe } from '../../tmux/panes.js';

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
    const errors: StateError[] = [];
    const at = this.now();
    const fail = (file: string, line: number | null, message: string): void => { errors.push({ file, line, message, at }); };
    const read = async <S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | null> => {
      const r = await readJsonFile(file, schema);
      if (r.ok) return r.value;
      if (!r.missing) fail(file, r.line, r.message);
      return null;
    };
    const config = await read(join(this.dir, 'config.json'), configSchema);
    if (!config && !errors.length) fail(join(this.dir, 'config.json'), null, 'missing: a team directory without config.json');
    const heartbeats = new Map<string, OmcHeartbeat>();
    const statuses = new Map<string, OmcStatus>();
    for (const w of config?.workers ?? []) {
      // A name becomes a path only when it is one omc itself accepts.
      if (!WORKER_NAME.test(w.name)) {
        fail(join(this.dir, 'config.json'), null, `worker name ${JSON.stringify(w.name)} is not one omc accepts: its files are not read`);
        continue;
      }
      const dir = join(this.dir, 'workers', w.name);
      const hb = await read(join(dir, 'heartbeat.json'), heartbeatSchema);
      if (hb) heartbeats.set(w.name, hb);
      const st = await read(join(dir, 'status.json'), statusSchema);
      if (st) statuses.set(w.name, st);
    }
    const tasks: OmcTask[] = [];
    for (const name of await names(join(this.dir, 'tasks'))) {
      const m = TASK_FILE.exec(name);
      if (!m) continue;
      const file = join(this.dir, 'tasks', name);
      const t = await read(file, taskSchema);
      if (!t) continue;
      if (t.id !== m[1]) fail(file, null, `id ${JSON.stringify(t.id)} is not the file's number (${m[1]}): not read`);
      else tasks.push(t);
    }
    tasks.sort((a, b) => Number(a.id) - Number(b.id));
    const mailboxes = new Map<string, OmcMessage[]>();
    for (const name of await names(join(this.dir, 'mailbox'))) {
      const m = MAILBOX_FILE.exec(name);
      if (!m) continue;
      const box = await read(join(this.dir, 'mailbox', name), mailboxSchema);
      if (box) mailboxes.set(m[1]!, box.messages);
    }
    const events = await this.readEvents(join(this.dir, 'events.jsonl'), fail);
    const records = await this.readRecords();
    this.input = {
      id: this.id, dir: this.dir, project: this.project, recordsDir: this.recordsDir, now: this.now, probe: this.probe, repo: this.repo,
      parts: { config, heartbeats, statuses, tasks, mailboxes, events }, errors, ...records,
    };
    this.rebuild();
  }

  /** The workers' tmux pane ids, as config.json names them. */
  paneIds(): string[] {
    return (this.input?.parts.config?.workers ?? []).flatMap((w) => (w.pane_id ? [w.pane_id] : []));
  }

  /** What tmux said of the panes; the snapshot is rebuilt when a worker's liveness changes. */
  setPanes(probe: PaneProbe): boolean {
    const before = this.current?.teammates.map((t) => t.liveness?.signal ?? '').join('\n');
    this.panes = probe;
    const prev = this.current;
    this.rebuild();
    if (this.current?.teammates.map((t) => t.liveness?.signal ?? '').join('\n') === before) {
      this.current = prev;
      this.version--;
      return false;
    }
    return true;
  }

  private rebuild(): void {
    if (!this.input) return;
    this.version++;
    this.current = buildOmcSnapshot({ ...this.input, version: this.version, panes: this.panes });
  }

  /** events.jsonl: one event per line; a line that does not parse is an error naming its line. */
  private async readEvents(file: string, fail: (file: string, line: number | null, message: string) => void): Promise<TeamEvent[]> {
    let text: string;
    try {
      text = (await readRegularText(file)).text;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') fail(file, null, `cannot read: ${(e as Error).message}`);
      return [];
    }
    const out: TeamEvent[] = [];
    const lines = text.split('\n');
    // A last line without its newline may be an append under way: read at the next change.
    if (!text.endsWith('\n')) lines.pop();
    lines.forEach((l, i) => {
      if (l.trim() === '') return;
      const p = parseJson(l);
      if (!p.ok) { fail(file, i + 1, p.message); return; }
      const r = eventSchema.safeParse(p.value);
      if (!r.success) { fail(file, i + 1, describeZodError(r.error)); return; }
      const ts = r.data.created_at ? Date.parse(r.data.created_at) : NaN;
      out.push({ timestamp: Number.isNaN(ts) ? null : ts, type: r.data.type, line: i + 1, data: r.data as Record<string, unknown> });
    });
    return out;
  }

  /**
   * teamtop's own records of the team: alert acknowledgements and the last rollback's journal. The
   * directory (in teamtop's state directory, never in .omc/) is made here, so that reports and
   * records have a place from the start.
   */
  private async readRecords(): Promise<{ acks: Map<string, string>; rollback: RollbackJournal | null }> {
    await fsp.mkdir(this.recordsDir, { recursive: true, mode: 0o700 }).catch(() => undefined);
    const a = await readJsonFile(join(this.recordsDir, ACKS_FILE), acksFileSchema);
    const r = await readJsonFile(join(this.recordsDir, ROLLBACK_FILE), rollbackJournalSchema);
    return {
      acks: a.ok ? new Map(Object.entries(a.value.acks).map(([id, v]) => [id, v.evidence])) : new Map(),
      rollback: r.ok ? (r.value as RollbackJournal) : null,
    };
  }
}

/** The names in a directory, sorted; none when it does not exist. */
async function names(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir)).sort();
  } catch {
    return [];
  }
}
