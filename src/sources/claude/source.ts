// Claude Code's ~/.claude as a state source: every team under teams/ (a directory with
// config.json); tasks/<uuid> folders of sessions that are not teams are ignored. Inboxes are
// rewritten whole by their writers, so a change re-reads that inbox (no tail).
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Message, StateError } from '../../model/types.js';
import { printableName } from '../../safety/sanitize.js';
import type { RootSnapshot } from '../../model/snapshot.js';
import type { Writer } from '../../ports/effects.js';
import { RootError, WatchedSource, type StateSource } from '../source.js';
import { ClaudeTeam } from './team.js';
import { ClaudeWriter } from './writer.js';

/** Whether a directory looks like a Claude Code home (~/.claude): it has teams/ with a team in it. */
export async function looksLikeClaudeDir(dir: string): Promise<boolean> {
  try {
    const teams = await fsp.readdir(join(dir, 'teams'), { withFileTypes: true });
    for (const t of teams) {
      if (t.isDirectory()) {
        try {
          await fsp.access(join(dir, 'teams', t.name, 'config.json'));
          return true;
        } catch {
          // not a team
        }
      }
    }
  } catch {
    // no teams/
  }
  return false;
}

export class ClaudeSource extends WatchedSource implements StateSource {
  readonly kind = 'claude' as const;
  private teams = new Map<string, ClaudeTeam>();

  constructor(
    root: string,
    now: () => number = Date.now,
    /** The format names no repository: --repo and --base-ref give the one aborts roll back. */
    private readonly repoOpts: { repo?: string; baseRef?: string } = {},
  ) {
    super(root, now);
  }

  async load(): Promise<void> {
    try {
      const st = await fsp.stat(this.root);
      if (!st.isDirectory()) throw new RootError(`${this.root} is not a directory`);
    } catch (e) {
      if (e instanceof RootError) throw e;
      throw new RootError(`Claude Code directory ${this.root} does not exist`);
    }
    await this.scan();
    if (this.teams.size === 0) throw new RootError(`${this.root} holds no Claude Code teams (teams/<name>/config.json)`);
  }

  private async scan(): Promise<void> {
    const names: string[] = [];
    const errors: StateError[] = [];
    try {
      for (const d of await fsp.readdir(join(this.root, 'teams'), { withFileTypes: true, encoding: 'buffer' })) {
        const name = d.name.toString('utf8');
        const path = join(this.root, 'teams', printableName(d.name));
        const utf8 = Buffer.from(name, 'utf8').equals(d.name);
        const linked = d.isSymbolicLink() && (await fsp.stat(Buffer.concat([Buffer.from(join(this.root, 'teams') + '/'), d.name])).catch(() => null))?.isDirectory();
        // A team teamtop cannot read as one is said, never silently left out.
        if (linked) errors.push({ file: path, line: null, message: 'a symbolic link to a team directory: not read (a team directory must be a real directory)', at: this.now() });
        else if (d.isDirectory() && !utf8) errors.push({ file: path, line: null, message: 'a team directory whose name is not UTF-8: not read', at: this.now() });
        else if (d.isDirectory()) names.push(name);
      }
    } catch {
      // no teams yet
    }
    this.rootErrors = errors;
    const live = new Set<string>();
    for (const name of names) {
      const dir = join(this.root, 'teams', name);
      try {
        await fsp.access(join(dir, 'config.json'));
      } catch {
        continue;
      }
      live.add(name);
      if (!this.teams.has(name)) {
        const team = new ClaudeTeam(name, dir, join(this.root, 'tasks', name), this.now, this.repoOpts);
        this.teams.set(name, team);
        await team.loadAll();
      }
    }
    for (const id of [...this.teams.keys()]) if (!live.has(id)) this.teams.delete(id);
    this.invalidate();
  }

  async watch(): Promise<void> {
    if (this.watcher || this.closed) return;
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
        if (!team || rest.length === 0) { rescan = true; continue; }
        if (await team.onTeamPath(rest.join('/'))) changed = true;
      } else if (top === 'tasks' && team && rest.length === 1) {
        if (await team.onTaskPath(rest[0]!)) changed = true;
      }
    }
    if (rescan) {
      await this.scan();
      changed = true;
    }
    return changed;
  }

  async refresh(teamId: string): Promise<void> {
    const team = this.teams.get(teamId);
    if (team) await team.reloadAll();
    else await this.scan();
    this.invalidate();
    this.emitter.emitNow();
  }

  async readMailboxRange(teamId: string, start: number, count: number): Promise<Message[]> {
    const team = this.teams.get(teamId);
    return team ? team.snapshot().mailbox.recent.slice(start, start + count) : [];
  }

  writer(teamId: string): Writer {
    const team = this.teams.get(teamId);
    if (!team) throw new Error(`no team ${teamId}`);
    return new ClaudeWriter(this.root, teamId, { lead: team.leadName(), members: team.memberNames(), now: this.now });
  }

  getSnapshot(): RootSnapshot {
    if (this.cached) return this.cached;
    const teams = [...this.teams.values()].map((t) => t.snapshot()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.cached = { root: this.root, source: 'claude', teams, archived: [], errors: this.rootErrors, version: this.version };
    return this.cached;
  }
}
