// Claude Code's ~/.claude as a state source: every team under teams/ (a directory with
// config.json); tasks/<uuid> folders of sessions that are not teams are ignored. Inboxes are
// rewritten whole by their writers, so a change re-reads that inbox (no tail).
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Message, StateError } from '../../model/types.js';
import { printableName } from '../../safety/sanitize.js';
import type { RootSnapshot } from '../../model/snapshot.js';
import type { Writer } from '../../ports/effects.js';
import { inMemoryRange, RootError, WatchedSource, type StateSource } from '../source.js';
import { cannotRead, isAbsent, whyUnlistable } from '../listing.js';
import { ClaudeTeam } from './team.js';
import { ClaudeWriter } from './writer.js';
import { SignalReader } from './signals.js';
import { KeptTeams } from './kept-teams.js';

/**
 * Whether a directory looks like a Claude Code home (~/.claude): it has a teams/ directory (a team
 * in it, or none yet: teams come and go with sessions) or a projects/ directory of transcripts.
 */
export async function looksLikeClaudeDir(dir: string): Promise<boolean> {
  for (const sub of ['teams', 'projects']) {
    try {
      if ((await fsp.stat(join(dir, sub))).isDirectory()) return true;
    } catch {
      // not there
    }
  }
  return false;
}

/** How often, while watching, tmux panes and transcripts are looked at again (ms). */
const SIGNALS_EVERY_MS = 3000;

export class ClaudeSource extends WatchedSource implements StateSource {
  readonly kind = 'claude' as const;
  private teams = new Map<string, ClaudeTeam>();
  private signals = new Map<string, SignalReader>();
  private refreshing: Promise<boolean> | null = null;
  private readonly kept: KeptTeams;

  constructor(
    root: string,
    now: () => number = Date.now,
    /** The format names no repository: --repo and --base-ref give the one aborts roll back. */
    private readonly repoOpts: { repo?: string; baseRef?: string } = {},
    /** teamtop's state directory (default: XDG state): where ended teams are kept. */
    stateDir?: string,
    /** The environment tmux is asked in (default: this process's). */
    private readonly tmuxEnv: NodeJS.ProcessEnv = process.env,
  ) {
    super(root, now);
    this.kept = new KeptTeams(root, now, stateDir);
  }

  async load(): Promise<void> {
    try {
      const st = await fsp.stat(this.root);
      if (!st.isDirectory()) throw new RootError(`${this.root} is not a directory`);
    } catch (e) {
      if (e instanceof RootError) throw e;
      throw new RootError(isAbsent(e) ? `Claude Code directory ${this.root} does not exist` : `Claude Code directory ${this.root}: ${cannotRead(e)}`);
    }
    const why = await whyUnlistable(this.root);
    if (why) throw new RootError(`Claude Code directory ${this.root}: ${why}`);
    // No live team is a normal state: a session starts its team with its first teammate.
    await this.scan();
  }

  protected async scan(): Promise<void> {
    const names: string[] = [];
    const errors: StateError[] = [];
    /** Teams that are there but cannot be read: neither live nor ended. */
    const unread = new Set<string>();
    let listed = true;
    try {
      for (const d of await fsp.readdir(join(this.root, 'teams'), { withFileTypes: true, encoding: 'buffer' })) {
        const name = d.name.toString('utf8');
        const path = join(this.root, 'teams', printableName(d.name));
        const utf8 = Buffer.from(name, 'utf8').equals(d.name);
        const linked = d.isSymbolicLink() && (await fsp.stat(Buffer.concat([Buffer.from(join(this.root, 'teams') + '/'), d.name])).catch(() => null))?.isDirectory();
        // A team teamtop cannot read as one is said, never silently left out.
        const team = printableName(d.name);
        if (linked) errors.push({ file: path, line: null, message: 'a symbolic link to a team directory: not read (a team directory must be a real directory)', at: this.now(), team });
        else if (d.isDirectory() && !utf8) errors.push({ file: path, line: null, message: 'a team directory whose name is not UTF-8: not read', at: this.now(), team });
        else if (d.isDirectory()) names.push(name);
      }
    } catch (e) {
      // No teams/ yet is no teams; one that cannot be listed is said.
      if (!isAbsent(e)) {
        listed = false;
        errors.push({ file: join(this.root, 'teams'), line: null, message: cannotRead(e), at: this.now() });
      }
    }
    const live = new Set<string>();
    for (const name of names) {
      const dir = join(this.root, 'teams', name);
      try {
        await fsp.access(join(dir, 'config.json'));
      } catch (e) {
        // Without config.json it is not a team (yet); a directory that cannot be read may be one.
        const why = isAbsent(e) ? await whyUnlistable(dir) : cannotRead(e);
        if (why) { unread.add(name); errors.push({ file: dir, line: null, message: why, at: this.now(), team: name }); }
        continue;
      }
      // Its task list: absent means the task tools are off; unreadable is not that.
      const tasksWhy = await whyUnlistable(join(this.root, 'tasks', name));
      if (tasksWhy) errors.push({ file: join(this.root, 'tasks', name), line: null, message: tasksWhy, at: this.now(), team: name });
      live.add(name);
      const known = this.teams.get(name);
      if (!known || known.endedAt !== null) {
        await this.kept.adopt(name, dir);
        const team = new ClaudeTeam(name, dir, join(this.root, 'tasks', name), { now: this.now, repo: this.repoOpts, recordsDir: this.kept.recordsOf(name)?.dir });
        this.teams.set(name, team);
        this.signals.delete(name);
        await team.loadAll();
        await this.readSignals(name, team);
        await this.kept.save(team);
      }
    }
    // Teams whose directory is gone come back from teamtop's copies, as ended (when teams/ could
    // be listed: a team that cannot be read has not ended).
    const ended = new Set<string>();
    for (const k of listed ? await this.kept.ended(new Set([...live, ...unread])) : []) {
      ended.add(k.id);
      const known = this.teams.get(k.id);
      if (known && known.endedAt !== null) continue;
      const team = new ClaudeTeam(k.id, k.dir, k.tasksDir, { now: this.now, repo: this.repoOpts, recordsDir: k.recordsDir, endedAt: Date.parse(k.lastSeen) || this.now() });
      this.teams.set(k.id, team);
      this.signals.delete(k.id);
      await team.loadAll();
      await this.readSignals(k.id, team);
    }
    for (const id of [...this.teams.keys()]) if (!live.has(id) && !ended.has(id)) { this.teams.delete(id); this.signals.delete(id); }
    this.rootErrors = errors;
    this.invalidate();
  }

  /** Reads one team's tmux panes and transcripts; true when they changed. */
  private async readSignals(id: string, team: ClaudeTeam): Promise<boolean> {
    let r = this.signals.get(id);
    if (!r) this.signals.set(id, (r = new SignalReader(this.root, this.tmuxEnv)));
    // An ended team's panes are gone with it: only its transcripts are read.
    return team.setSignals(await r.read(team.config(), team.leadName(), { panes: team.endedAt === null }));
  }

  /** Every team's signals again (shared by overlapping calls); true when any changed. */
  refreshSignals(): Promise<boolean> {
    this.refreshing ??= (async () => {
      let changed = false;
      for (const [id, team] of [...this.teams]) {
        if (await this.readSignals(id, team)) changed = true;
        // teamtop's own records live outside the watched directories.
        if (await team.reloadRecords()) changed = true;
      }
      if (changed) this.invalidate();
      return changed;
    })().finally(() => { this.refreshing = null; });
    return this.refreshing;
  }

  async watch(): Promise<void> {
    if (this.watcher || this.closed) return;
    // Transcripts and panes are not files teamtop can watch cheaply (projects/ holds every
    // session's transcripts): they are polled, reading only what each transcript gained.
    this.startPolling(SIGNALS_EVERY_MS, () => this.refreshSignals());
    await fsp.mkdir(join(this.root, 'teams'), { recursive: true }).catch(() => undefined);
    await this.startWatching({
      paths: [join(this.root, 'teams'), join(this.root, 'tasks')],
      depth: 3,
      ignored: (p: string) => /\.lock([\\/]|$)/.test(p) || /\.highwatermark$/.test(p),
      handle: (rels) => this.handle(rels),
    });
  }

  /** teams/<team>/… re-reads that file of the team; tasks/<team>/<id>.json that task. */
  private async handle(rels: string[]): Promise<boolean> {
    let changed = false;
    let rescan = false;
    for (const rel of rels) {
      const [top, teamName, ...rest] = rel.split('/');
      if (!teamName) continue;
      const team = this.teams.get(teamName);
      if (top === 'teams') {
        if (!team || rest.length === 0 || team.endedAt !== null) { rescan = true; continue; }
        if (await team.onTeamPath(rest.join('/'))) { changed = true; void this.kept.save(team); }
      } else if (top === 'tasks' && team && rest.length <= 1 && team.endedAt === null) {
        if (await team.onTaskPath(rest[0])) { changed = true; void this.kept.save(team); }
      }
    }
    if (rescan) {
      await this.scan();
      changed = true;
    }
    return changed;
  }

  protected async reloadTeam(teamId: string): Promise<boolean> {
    const team = this.teams.get(teamId);
    if (!team) return false;
    await team.reloadAll();
    await this.readSignals(teamId, team);
    return true;
  }


  readMailboxRange(teamId: string, start: number, count: number): Promise<Message[]> {
    return inMemoryRange(this.teams.get(teamId), start, count);
  }

  writer(teamId: string): Writer {
    const team = this.teams.get(teamId);
    if (!team) throw new Error(`no team ${teamId}`);
    const records = this.kept.recordsOf(teamId);
    return new ClaudeWriter(this.root, teamId, { lead: team.leadName(), members: team.memberNames(), now: this.now, ...(records ? { records } : {}) });
  }

  getSnapshot(): RootSnapshot {
    return this.rootSnapshot('claude', this.teams.values(), () => [...this.rootErrors, ...this.kept.errors()]);
  }
}
