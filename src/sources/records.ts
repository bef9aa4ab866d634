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
    return this.check(journal ? [ACTIONS_FILE, ROLLBACK_FILE] : [ACTIONS_FILE]);
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
