// The native team-state format (docs/state-format.md): a root directory holding one directory
// per team. Loads every team, then watches the root with chokidar and re-reads only what changed.
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Message, StateError } from '../../model/types.js';
import { printableName } from '../../safety/sanitize.js';
import type { ArchivedTeam, RootSnapshot, TeamSnapshot } from '../../model/snapshot.js';
import { RootError, WatchedSource, type StateSource } from '../source.js';
import { cannotRead, isAbsent, whyUnlistable } from '../listing.js';
import { NativeTeam, looksLikeTeamDir } from './team.js';
import { NativeWriter } from './writer.js';
import { stampTime } from '../../model/time.js';
import type { Writer } from '../../ports/effects.js';

const ARCHIVED = /^(.+)\.ABORTED-(.+)$/;

export class NativeSource extends WatchedSource implements StateSource {
  readonly kind = 'native' as const;
  private teams = new Map<string, NativeTeam>();
  private archived: ArchivedTeam[] = [];

  constructor(
    root: string,
    now: () => number = Date.now,
    /** Index large mailboxes in the background (the TUI); headless commands wait for the full pass. */
    private readonly opts: { background?: boolean } = {},
  ) {
    super(root, now);
  }

  async load(): Promise<void> {
    let st;
    try {
      st = await fsp.stat(this.root);
    } catch (e) {
      throw new RootError(isAbsent(e) ? `state root ${this.root} does not exist` : `state root ${this.root}: ${cannotRead(e)}`);
    }
    if (!st.isDirectory()) throw new RootError(`state root ${this.root} is not a directory`);
    await this.scan();
    // A root that cannot be listed is that, not a root without teams.
    const unlisted = this.rootErrors.find((e) => e.file === this.root);
    if (unlisted) throw new RootError(`state root ${this.root}: ${unlisted.message}`);
    if (this.teams.size === 0 && this.archived.length === 0) {
      // The commonest slip: a team's own directory given as the root.
      if (await looksLikeTeamDir(this.root)) throw new RootError(`${this.root} is a team directory, not a state root: give its parent (--root ${dirname(this.root)} --team ${basename(this.root)})`);
      throw new RootError(`state root ${this.root} holds no teams (a team is a directory with team.json, teammates.json, team-manifest.json or mailbox.jsonl)`);
    }
  }

  /** Finds team directories; loads new ones, drops vanished ones. True when anything changed. */
  protected async scan(): Promise<boolean> {
    let entries: Array<import('node:fs').Dirent<Buffer>>;
    try {
      entries = await fsp.readdir(this.root, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      this.rootErrors = [{ file: this.root, line: null, message: cannotRead(e), at: this.now() }];
      this.teams.clear();
      this.invalidate();
      return true;
    }
    const before = `${[...this.teams.keys()].join('/')}|${this.archived.map((a) => a.dirName).join('/')}|${this.rootErrors.map((r) => r.file).join('/')}`;
    const errors: StateError[] = [];
    const archived: ArchivedTeam[] = [];
    const live = new Set<string>();
    for (const raw of entries) {
      const e = { name: raw.name.toString('utf8'), isDirectory: () => raw.isDirectory() };
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      // A team directory teamtop cannot read as one is said, never silently left out.
      const unreadable = await unreadableTeamDir(this.root, raw);
      if (unreadable) {
        errors.push({ file: join(this.root, printableName(raw.name)), line: null, message: unreadable, at: this.now(), team: printableName(raw.name) });
        continue;
      }
      if (!e.isDirectory()) continue;
      const m = ARCHIVED.exec(e.name);
      if (m) {
        archived.push({ id: m[1]!, dirName: e.name, dir: join(this.root, e.name), abortedAt: m[2]! });
        continue;
      }
      const dir = join(this.root, e.name);
      if (!(await looksLikeTeamDir(dir))) {
        // A directory that cannot be listed may be a team: said, with the reason.
        const why = await whyUnlistable(dir);
        if (why) errors.push({ file: dir, line: null, message: why, at: this.now(), team: e.name });
        continue;
      }
      live.add(e.name);
      if (!this.teams.has(e.name)) {
        const team = new NativeTeam(e.name, dir, this.now);
        this.teams.set(e.name, team);
        await team.loadAll({
          background: this.opts.background,
          onBackground: () => { this.invalidate(); this.emitter.schedule(true); },
        });
      }
    }
    for (const id of [...this.teams.keys()]) if (!live.has(id)) this.teams.delete(id);
    this.archived = archived.sort((a, b) => a.dirName.localeCompare(b.dirName));
    this.rootErrors = errors;
    // A stray file at the root (an editor's swap file, a log) changes nothing: no new snapshot.
    const after = `${[...this.teams.keys()].join('/')}|${this.archived.map((a) => a.dirName).join('/')}|${errors.map((r) => r.file).join('/')}`;
    if (after === before) return false;
    this.invalidate();
    return true;
  }

  async watch(): Promise<void> {
    await this.startWatching({
      depth: 3,
      // proper-lockfile's <file>.lock directories churn on every locked write.
      ignored: (p: string) => /\.lock([\\/]|$)/.test(p) || /[\\/](node_modules|\.git)([\\/]|$)/.test(p),
      handle: (rels) => this.handle(rels),
    });
  }

  /** A batch of changed paths: a top-level change rescans the teams, a file is re-read by its team. */
  private async handle(rels: string[]): Promise<boolean> {
    let changed = false;
    let rescan = false;
    for (const rel of rels) {
      const [teamDir, ...rest] = rel.split('/');
      const team = rest.length > 0 ? this.teams.get(teamDir!) : undefined;
      // A new or vanished directory, or the first file of a team we do not know yet.
      if (!team) { rescan = true; continue; }
      try {
        if (await team.onPathChanged(rest.join('/'))) changed = true;
      } catch (e) {
        this.rootErrors = [{ file: rel, line: null, message: (e as Error).message, at: this.now() }];
        changed = true;
      }
    }
    if (rescan && (await this.scan())) changed = true;
    return changed;
  }

  protected async reloadTeam(teamId: string): Promise<boolean> {
    const team = this.teams.get(teamId);
    if (!team) return false;
    for (const f of ['team.json', 'teammates.json', 'team-manifest.json', 'mailbox.jsonl', 'events.jsonl']) {
      await team.onPathChanged(f);
    }
    return true;
  }


  readMailboxRange(teamId: string, start: number, count: number): Promise<Message[]> {
    const team = this.teams.get(teamId);
    return team ? team.mailbox.readRange(start, count) : Promise.resolve([]);
  }

  async loadArchived(dirName: string): Promise<TeamSnapshot> {
    const a = this.archived.find((x) => x.dirName === dirName);
    if (!a) throw new Error(`no archive ${dirName}`);
    const team = new NativeTeam(a.dirName, a.dir, this.now);
    await team.loadAll();
    // Judged as of the abort (its alerts do not age on after it).
    return { ...team.snapshot(), endedAt: stampTime(a.abortedAt) ?? this.now() };
  }

  writer(teamId: string): Writer {
    const team = this.teams.get(teamId);
    if (!team) throw new Error(`no team ${teamId}`);
    return new NativeWriter(team.dir, { lead: team.snapshot().info.lead.id ?? 'lead', stateRoot: this.root, now: this.now });
  }

  getSnapshot(): RootSnapshot {
    if (this.cached) return this.cached;
    const teams: TeamSnapshot[] = [...this.teams.values()].map((t) => t.snapshot()).sort((a, b) => a.id.localeCompare(b.id));
    this.cached = {
      root: this.root, source: 'native', teams, archived: this.archived, errors: this.rootErrors, version: this.version,
    };
    return this.cached;
  }
}

/**
 * Why an entry of the state root that holds team state cannot be read as a team, or null: a
 * symbolic link to a team directory (teamtop reads and writes team state only through real
 * directories: a link could lead its writes anywhere) or a directory whose name is not UTF-8
 * (no team id can name it; one that cannot be listed is said with the reason).
 */
async function unreadableTeamDir(root: string, e: import('node:fs').Dirent<Buffer>): Promise<string | null> {
  const path = Buffer.concat([Buffer.from(root), Buffer.from('/'), e.name]);
  if (e.isSymbolicLink()) {
    const st = await fsp.stat(path).catch(() => null);
    if (!st?.isDirectory() || !(await looksLikeTeamDir(path))) return null;
    return 'a symbolic link to a team directory: not read (a team directory must be a real directory in the state root; move it here or point --root at its parent)';
  }
  if (!e.isDirectory() || Buffer.from(e.name.toString('utf8'), 'utf8').equals(e.name)) return null;
  if (await looksLikeTeamDir(path)) return 'a team directory whose name is not UTF-8: not read (rename it)';
  return whyUnlistable(path);
}
