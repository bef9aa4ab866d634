// An oh-my-claudecode project as a state source: every team under <project>/.omc/state/team/.
// A change anywhere in a team's directory re-reads that team (its files are small and rewritten
// whole); a new or removed team directory rescans. teamtop's own records for a team (actions,
// acknowledgements) live in its state directory, keyed by the project's path: never in .omc/.
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import type { Message, StateError } from '../../model/types.js';
import type { RootSnapshot } from '../../model/snapshot.js';
import type { Writer } from '../../ports/effects.js';
import { teamtopStateDir } from '../../files/state-dir.js';
import { inMemoryRange, RootError, WatchedSource, type StateSource } from '../source.js';
import { cannotRead, isAbsent, whyUnlistable } from '../listing.js';
import { OmcTeam } from './team.js';
import { OmcWriter } from './writer.js';
import type { PidProbe } from './snapshot.js';
import { probePanes, processAlive, type PaneProbe, type TmuxEnv } from '../../tmux/panes.js';

const NO_PANES: PaneProbe = { reachable: false, reason: 'no tmux pane to ask about' };

/** Where omc keeps its teams, under the project directory. */
export const TEAMS_DIR = join('.omc', 'state', 'team');

/** omc's team names (contracts.js): lowercase letters, digits and dashes, at most 30. */
const TEAM_NAME = /^[a-z0-9][a-z0-9-]{0,29}$/;

/** Whether a directory is an omc project: it has .omc/state/team/. */
export async function looksLikeOmcProject(dir: string): Promise<boolean> {
  try {
    return (await fsp.stat(join(dir, TEAMS_DIR))).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a pid runs on this machine. */
export const localPidProbe: PidProbe = (pid) => (processAlive(pid) ? 'alive' : 'dead');

/** How often, while watching, the workers' tmux panes are asked about again (ms). */
const PANES_EVERY_MS = 3000;

export interface OmcSourceOptions {
  now?: () => number;
  /** teamtop's state directory (its records of each team go under it). */
  stateDir?: string;
  /** How a worker's pid is checked (absent: it is not). */
  probe?: PidProbe;
  /** The environment tmux is asked in (which server); absent: the panes are not asked about. */
  tmuxEnv?: TmuxEnv;
  repo?: string;
  baseRef?: string;
}

export class OmcSource extends WatchedSource implements StateSource {
  readonly kind = 'omc' as const;
  private teams = new Map<string, OmcTeam>();
  private readonly recordsBase: string;

  private readonly probe: PidProbe | undefined;
  private readonly tmuxEnv: TmuxEnv | undefined;
  private asking: Promise<boolean> | null = null;
  /** The repository an abort rolls back: --repo, else the project when it is a git work tree. */
  private readonly repo: { repo: string | null; baseRef: string | null };

  constructor(root: string, o: OmcSourceOptions = {}) {
    super(root, o.now ?? Date.now);
    this.probe = o.probe;
    this.tmuxEnv = o.tmuxEnv;
    const project = createHash('sha256').update(root).digest('hex').slice(0, 16);
    this.recordsBase = join(o.stateDir ?? teamtopStateDir(), 'omc', `${basename(root).replace(/[^A-Za-z0-9_.-]/g, '_')}-${project}`);
    this.repo = { repo: o.repo ?? (existsSync(join(root, '.git')) ? root : null), baseRef: o.baseRef ?? null };
  }

  private get teamsDir(): string {
    return join(this.root, TEAMS_DIR);
  }

  async load(): Promise<void> {
    try {
      if (!(await fsp.stat(this.root)).isDirectory()) throw new RootError(`${this.root} is not a directory`);
    } catch (e) {
      if (e instanceof RootError) throw e;
      throw new RootError(isAbsent(e) ? `project directory ${this.root} does not exist` : `project directory ${this.root}: ${cannotRead(e)}`);
    }
    // .omc/state/team/ out of reach is said as that, not as no team ever having run here.
    const teams = await fsp.stat(this.teamsDir).catch((e: NodeJS.ErrnoException) => e);
    if (teams instanceof Error && !isAbsent(teams) && teams.code !== 'ENOTDIR') throw new RootError(`${this.teamsDir}: ${cannotRead(teams)}`);
    if (teams instanceof Error || !teams.isDirectory()) {
      throw new RootError(`${this.root} has no ${TEAMS_DIR} directory: no oh-my-claudecode team has run in this project (the root is the directory \`omc team\` ran in)`);
    }
    await this.scan();
  }

  protected async scan(): Promise<void> {
    const errors: StateError[] = [];
    const names: string[] = [];
    try {
      for (const d of await fsp.readdir(this.teamsDir, { withFileTypes: true })) {
        if (d.isSymbolicLink()) {
          errors.push({ file: join(this.teamsDir, d.name), line: null, message: 'a symbolic link to a team directory: not read (a team directory must be a real directory)', at: this.now(), team: d.name });
          continue;
        }
        if (!d.isDirectory()) continue;
        if (!TEAM_NAME.test(d.name)) {
          errors.push({ file: join(this.teamsDir, d.name), line: null, message: 'not a team name omc gives (lowercase letters, digits, dashes): not read', at: this.now() });
          continue;
        }
        // A team directory that cannot be listed is said once, with the reason, and not read.
        const why = await whyUnlistable(join(this.teamsDir, d.name));
        if (why) errors.push({ file: join(this.teamsDir, d.name), line: null, message: why, at: this.now(), team: d.name });
        else names.push(d.name);
      }
    } catch (e) {
      errors.push({ file: this.teamsDir, line: null, message: cannotRead(e), at: this.now() });
    }
    this.rootErrors = errors;
    const live = new Set(names);
    for (const name of names) {
      let team = this.teams.get(name);
      if (!team) this.teams.set(name, (team = new OmcTeam(name, join(this.teamsDir, name), this.root, join(this.recordsBase, name), this.now, this.probe, this.repo)));
      await team.load();
    }
    for (const id of [...this.teams.keys()]) if (!live.has(id)) this.teams.delete(id);
    await this.askPanes();
    this.invalidate();
  }

  /** What is not watched: the workers' panes, and teamtop's own records (another teamtop's acks). */
  private async poll(): Promise<boolean> {
    let changed = await this.askPanes();
    for (const t of this.teams.values()) if (await t.reloadRecords()) changed = true;
    if (changed) this.invalidate();
    return changed;
  }

  /**
   * Asks tmux about the workers' panes, each team on the server omc recorded for it
   * (`tmux_server_identity.socket_path`): pane ids are only unique within a server, so a team
   * whose server is not recorded is not asked (no proof either way). Shared by overlapping calls;
   * true when a liveness changed.
   */
  askPanes(): Promise<boolean> {
    if (!this.tmuxEnv) return Promise.resolve(false);
    const env = this.tmuxEnv;
    this.asking ??= (async () => {
      let changed = false;
      for (const t of this.teams.values()) {
        const ids = t.paneIds();
        const socket = t.tmuxSocket();
        const probe: PaneProbe = ids.length === 0 ? NO_PANES
          : socket === null ? { reachable: false, reason: 'omc recorded no tmux server for this team' }
          : await probePanes(ids, env, [{ label: socket, args: ['-S', socket] }]);
        if (t.setPanes(probe)) changed = true;
      }
      return changed;
    })().finally(() => { this.asking = null; });
    return this.asking;
  }

  async watch(): Promise<void> {
    if (this.watcher || this.closed) return;
    this.startPolling(PANES_EVERY_MS, () => this.poll());
    await this.startWatching({
      paths: [this.teamsDir],
      depth: 4,
      // Locks (files and directories) and omc's temporary files come and go around every write.
      ignored: (p: string) => /[\\/]\.lock[^\\/]*([\\/]|$)/.test(p) || /\.tmp(\.[^\\/]*)?$/.test(p) || /\.lock$/.test(p),
      handle: (rels) => this.handle(rels),
    });
  }

  /** .omc/state/team/<team>/… re-reads that team; the team directory itself rescans. */
  private async handle(rels: string[]): Promise<boolean> {
    const prefix = `${TEAMS_DIR.split(/[\\/]/).join('/')}/`;
    const touched: Array<[string, string]> = [];
    let rescan = false;
    for (const rel of rels) {
      if (!rel.startsWith(prefix)) { rescan = true; continue; }
      const [name, ...rest] = rel.slice(prefix.length).split('/');
      if (!name) continue;
      if (rest.length === 0 || !this.teams.has(name)) rescan = true;
      else touched.push([name, rest.join('/')]);
    }
    if (rescan) {
      await this.scan();
      return true;
    }
    let changed = false;
    for (const [name, rest] of touched) if (await this.teams.get(name)!.onPath(rest)) changed = true;
    if (changed) this.invalidate();
    return changed;
  }

  protected async reloadTeam(teamId: string): Promise<boolean> {
    const team = this.teams.get(teamId);
    if (team) await team.load();
    return team !== undefined;
  }


  readMailboxRange(teamId: string, start: number, count: number): Promise<Message[]> {
    return inMemoryRange(this.teams.get(teamId), start, count);
  }

  writer(teamId: string): Writer {
    const team = this.teams.get(teamId);
    if (!team) throw new Error(`no team ${teamId}`);
    return new OmcWriter(teamId, {
      project: this.root, teamDir: team.dir, records: { base: this.recordsBase, dir: team.recordsDir },
      workers: team.snapshot().teammates.map((t) => t.id), now: this.now,
    });
  }

  getSnapshot(): RootSnapshot {
    return this.rootSnapshot('omc', this.teams.values(), () => [...this.rootErrors]);
  }
}
