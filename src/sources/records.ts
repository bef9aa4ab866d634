// teamtop's own records of a team (acknowledged alerts, actions.jsonl, the rollback journal) kept
// in a directory apart from the format's files: Claude Code's and oh-my-claudecode's writers keep
// them there. Every write stays inside `base`; `ready` makes the directory before a write (each
// format decides how: a team directory that is gone must not be recreated, for instance).
import { join } from 'node:path';
import type { Effect, RollbackJournal } from '../ports/effects.js';
import { ACKS_FILE } from '../ports/acks.js';
import { ACTIONS_FILE, ROLLBACK_FILE } from '../ports/effects.js';
import { guardLockDir, guardPath } from '../files/guard.js';
import { appendLine, readJsonOr, withLock, writeJsonAtomic } from '../files/write.js';

/**
 * What teamtop itself last wrote into a format's files whose times are read as activity (Claude
 * Code's task files and inboxes): a task file's modification time and the messages teamtop sent,
 * so that its own writes are not taken for a teammate's or the lead's sign of life.
 */
export const OWN_WRITES_FILE = 'own-writes.json';
/** How many of teamtop's own messages and task writes are remembered (the newest). */
const OWN_WRITES_KEPT = 500;

/** teamtop's write of a task file: the file as it left it, and its time and owner before. */
export interface OwnTaskWrite {
  id: string;
  /** The file's modification time (ms) and inode right after the write (read under the file's lock). */
  mtime: number;
  ino: number;
  /** Its modification time before the write (the owner's last activity in it), and the owner then. */
  before: number | null;
  owner: string | null;
}

export interface OwnWrites {
  /** teamtop's last write of each task file, oldest first. */
  tasks: OwnTaskWrite[];
  /** `<recipient>\u0000<timestamp ms>` of each message teamtop appended. */
  messages: string[];
}

export const ownMessageKey = (recipient: string, timestamp: number): string => `${recipient}\u0000${timestamp}`;

const isTaskWrite = (t: unknown): t is OwnTaskWrite => typeof t === 'object' && t !== null
  && typeof (t as OwnTaskWrite).id === 'string' && typeof (t as OwnTaskWrite).mtime === 'number' && typeof (t as OwnTaskWrite).ino === 'number';

/** own-writes.json in `dir`, its valid entries only (a missing or unreadable file is none). */
export async function readOwnWrites(dir: string): Promise<OwnWrites> {
  const cur = await readJsonOr<Partial<OwnWrites> | null>(join(dir, OWN_WRITES_FILE), null).catch(() => null);
  return {
    tasks: (Array.isArray(cur?.tasks) ? cur.tasks : []).filter(isTaskWrite),
    messages: (Array.isArray(cur?.messages) ? cur.messages : []).filter((m): m is string => typeof m === 'string'),
  };
}

export class RecordsStore {
  constructor(
    private readonly where: () => { base: string; dir: string },
    private readonly ready: () => Promise<void>,
    private readonly now: () => number,
  ) {}

  private file(name: string): string {
    return join(this.where().dir, name);
  }

  /** Nothing is written: the files an action's records need can be written safely. */
  async check(names: readonly string[]): Promise<void> {
    for (const name of names) {
      await guardPath(this.where().base, this.file(name), { final: 'file' });
      await guardLockDir(this.file(name));
    }
  }

  checkAck(): Promise<void> {
    return this.check([ACKS_FILE]);
  }

  checkRecord(journal: boolean): Promise<void> {
    return this.check(journal ? [ACTIONS_FILE, ROLLBACK_FILE, OWN_WRITES_FILE] : [ACTIONS_FILE, OWN_WRITES_FILE]);
  }

  /**
   * Remembers a write of teamtop's own (see OWN_WRITES_FILE). A hint, not state: when it cannot be
   * kept the write it describes stands, and only its time may pass for activity.
   */
  async ownWrite(w: { task: OwnTaskWrite } | { message: string }): Promise<void> {
    try {
      await this.ready();
      const { base, dir } = this.where();
      const file = this.file(OWN_WRITES_FILE);
      await withLock(base, file, async () => {
        const cur = await readOwnWrites(dir);
        // A list, newest last (an object's numeric keys would sort by number, not by age).
        const tasks = 'task' in w ? [...cur.tasks.filter((t) => t.id !== w.task.id), w.task] : cur.tasks;
        const messages = 'message' in w ? [...cur.messages, w.message] : cur.messages;
        await writeJsonAtomic(base, file, { tasks: tasks.slice(-OWN_WRITES_KEPT), messages: messages.slice(-OWN_WRITES_KEPT) });
      });
    } catch {
      // See above: the write it describes is done either way.
    }
  }

  /** teamtop's last write of a task file, as own-writes.json has it (null when none). */
  async ownTask(id: string): Promise<OwnTaskWrite | null> {
    return (await readOwnWrites(this.where().dir)).tasks.filter((t) => t.id === id).at(-1) ?? null;
  }

  /** Records an acknowledged alert (its evidence fingerprint at the time). */
  async ack(e: Extract<Effect, { kind: 'ack-alert' }>): Promise<void> {
    await this.ready();
    const { base } = this.where();
    const file = this.file(ACKS_FILE);
    await withLock(base, file, async () => {
      const cur = await readJsonOr<{ acks?: Record<string, unknown> }>(file, { acks: {} });
      await writeJsonAtomic(base, file, { ...cur, acks: { ...(cur.acks ?? {}), [e.alertId]: { evidence: e.fingerprint, at: new Date(this.now()).toISOString(), summary: e.summary } } });
    });
  }

  /** Appends one record to actions.jsonl (a single write of one line). */
  async record(entry: Record<string, unknown>): Promise<void> {
    await this.ready();
    const { base } = this.where();
    const file = this.file(ACTIONS_FILE);
    await withLock(base, file, () => appendLine(base, file, JSON.stringify(entry), 'cut'));
  }

  async writeRollback(r: RollbackJournal): Promise<void> {
    await this.ready();
    const { base } = this.where();
    const file = this.file(ROLLBACK_FILE);
    await withLock(base, file, () => writeJsonAtomic(base, file, r));
  }
}
