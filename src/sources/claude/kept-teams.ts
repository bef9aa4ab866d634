// The source's side of the kept copies (./keep): every live team is copied to teamtop's state
// directory as it changes (a save at a time per team, the next one queued), its old records are
// migrated once, and teams whose directory Claude Code deleted come back from their copies as
// ended. A copy that cannot be saved is a problem of the root, said once, never fatal.
import { join } from 'node:path';
import type { StateError } from '../../model/types.js';
import { idProblem } from '../../safety/ids.js';
import { TEAMTOP_DIR } from './format.js';
import { TeamKeeper, type KeptTeam } from './keep/index.js';
import type { ClaudeTeam } from './team.js';

export class KeptTeams {
  readonly keeper: TeamKeeper;
  private readonly saving = new Map<string, { run: Promise<void>; again: boolean }>();
  private readonly problems = new Map<string, StateError>();
  private pruned = false;

  constructor(claudeDir: string, private readonly now: () => number, stateDir?: string) {
    this.keeper = new TeamKeeper(claudeDir, stateDir);
  }

  /** Where a team's records go (null for a team name the keeper cannot use as a directory). */
  recordsOf(teamId: string): { base: string; dir: string } | null {
    return idProblem(teamId) ? null : { base: this.keeper.base, dir: this.keeper.recordsDir(teamId) };
  }

  /** A live team seen for the first time: its records move here (once), its directory is ready. */
  async adopt(teamId: string, teamDir: string): Promise<void> {
    if (idProblem(teamId)) return;
    await this.guard(teamId, async () => {
      await this.keeper.ensureRecordsDir(teamId);
      await this.keeper.migrateRecords(teamId, join(teamDir, TEAMTOP_DIR));
    });
  }

  /** Saves the team's copy now, or once more after the save under way. */
  save(team: ClaudeTeam): Promise<void> {
    if (idProblem(team.id) || team.endedAt !== null) return Promise.resolve();
    const cur = this.saving.get(team.id);
    if (cur) { cur.again = true; return cur.run; }
    const entry = { run: Promise.resolve(), again: false };
    entry.run = (async () => {
      do {
        entry.again = false;
        const snap = team.snapshot();
        const transcripts = Object.fromEntries(snap.teammates.flatMap((t) => (t.transcript ? [[t.id, t.transcript.path]] : [])));
        await this.guard(team.id, () => this.keeper.save(team.id, {
          teamDir: team.dir, tasksDir: team.tasksDir,
          pointers: { origin: snap.origin ?? null, leadSessionId: snap.info.leadSessionId, transcripts },
        }));
      } while (entry.again);
    })().finally(() => this.saving.delete(team.id));
    this.saving.set(team.id, entry);
    return entry.run;
  }

  /** The kept teams whose live directory is gone (old copies pruned once per run). */
  async ended(live: ReadonlySet<string>): Promise<KeptTeam[]> {
    if (!this.pruned) {
      this.pruned = true;
      await this.guard('', () => this.keeper.prune());
    }
    return (await this.guard('', () => this.keeper.ended(live))) ?? [];
  }

  /** Problems with the kept copies, for the root's errors. */
  errors(): StateError[] {
    return [...this.problems.values()];
  }

  private async guard<T>(teamId: string, fn: () => Promise<T>): Promise<T | null> {
    const key = teamId || '(all)';
    try {
      const r = await fn();
      this.problems.delete(key);
      return r;
    } catch (e) {
      this.problems.set(key, {
        file: teamId ? this.keeper.keptDir(teamId) : this.keeper.base, line: null,
        message: `teamtop's copy of ${teamId ? `team ${teamId}` : 'the teams'} could not be kept: ${(e as Error).message}`, at: this.now(),
      });
      return null;
    }
  }
}
