// The native team-state format (docs/state-format.md): a root directory holding one directory
// per team. Loads every team, then watches the root with chokidar and re-reads only what changed.
import { promises as fsp } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { ArchivedTeam, Message, RootSnapshot, StateError, TeamSnapshot } from '../../model/types.js';
import { Emitter, RootError, type StateSource } from '../source.js';
import { NativeTeam, looksLikeTeamDir } from './team.js';
import { NativeWriter } from './writer.js';
import type { Writer } from '../../actions/types.js';

const ARCHIVED = /^(.+)\.ABORTED-(.+)$/;
const SETTLE_MS = 120;

export class NativeSource implements StateSource {
  readonly kind = 'native' as const;
  private teams = new Map<string, NativeTeam>();
  private archived: ArchivedTeam[] = [];
  private rootErrors: StateError[] = [];
  private emitter = new Emitter();
  private watcher: FSWatcher | null = null;
  private queue = new Set<string>();
  private draining: Promise<void> | null = null;
  private rescanNeeded = false;
  private settleTimers = new Map<string, NodeJS.Timeout>();
  private cached: RootSnapshot | null = null;
  private version = 0;
  private closed = false;

  constructor(
    readonly root: string,
    private readonly now: () => number = Date.now,
    /** Index large mailboxes in the background (the TUI); headless commands wait for the full pass. */
    private readonly opts: { background?: boolean } = {},
  ) {}

  async load(): Promise<void> {
    let st;
    try {
      st = await fsp.stat(this.root);
    } catch {
      throw new RootError(`state root ${this.root} does not exist`);
    }
    if (!st.isDirectory()) throw new RootError(`state root ${this.root} is not a directory`);
    await this.scan();
    if (this.teams.size === 0 && this.archived.length === 0) {
      throw new RootError(`state root ${this.root} holds no teams (a team is a directory with teammates.json)`);
    }
  }

  /** Finds team directories; loads new ones, drops vanished ones. */
  private async scan(): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fsp.readdir(this.root, { withFileTypes: true });
    } catch (e) {
      this.rootErrors = [{ file: this.root, line: null, message: `cannot read: ${(e as Error).message}`, at: this.now() }];
      this.teams.clear();
      this.invalidate();
      return;
    }
    this.rootErrors = [];
    const archived: ArchivedTeam[] = [];
    const live = new Set<string>();
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue;
      const m = ARCHIVED.exec(e.name);
      if (m) {
        archived.push({ id: m[1]!, dirName: e.name, dir: join(this.root, e.name), abortedAt: m[2]! });
        continue;
      }
      const dir = join(this.root, e.name);
      if (!(await looksLikeTeamDir(dir))) continue;
      live.add(e.name);
      if (!this.teams.has(e.name)) {
        const team = new NativeTeam(e.name, dir, this.now);
        this.teams.set(e.name, team);
        await team.loadAll({
          background: this.opts.background,
          onBackground: () => { this.invalidate(); this.emitter.schedule(); },
        });
      }
    }
    for (const id of [...this.teams.keys()]) if (!live.has(id)) this.teams.delete(id);
    this.archived = archived.sort((a, b) => a.dirName.localeCompare(b.dirName));
    this.invalidate();
  }

  async watch(): Promise<void> {
    if (this.watcher || this.closed) return;
    this.watcher = watch(this.root, {
      ignoreInitial: true,
      depth: 3,
      // proper-lockfile's <file>.lock directories churn on every locked write.
      ignored: (p: string) => /\.lock([\\/]|$)/.test(p) || /[\\/](node_modules|\.git)([\\/]|$)/.test(p),
    });
    this.watcher.on('all', (_event, path) => this.enqueue(path));
    this.watcher.on('error', (err) => {
      this.rootErrors = [{ file: this.root, line: null, message: `watcher: ${String(err)}`, at: this.now() }];
      this.invalidate();
      this.emitter.schedule();
    });
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  private enqueue(path: string): void {
    if (this.closed) return;
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..')) return;
    const parts = rel.split(sep);
    if (parts.length === 1) this.rescanNeeded = true;
    else {
      this.queue.add(rel);
      this.settleLater(rel);
    }
    this.kick();
  }

  private kick(): void {
    if (!this.draining) this.draining = this.drain().finally(() => { this.draining = null; });
  }

  /**
   * chokidar throttles repeated change events on one path, so a writer that truncates and then
   * writes in place can leave us with only the truncated read. Re-read each changed path once
   * more after the burst settles; unchanged content costs a read and no render.
   */
  private settleLater(rel: string): void {
    const prev = this.settleTimers.get(rel);
    if (prev) clearTimeout(prev);
    const t = setTimeout(() => {
      this.settleTimers.delete(rel);
      if (this.closed) return;
      this.queue.add(rel);
      this.kick();
    }, SETTLE_MS);
    t.unref();
    this.settleTimers.set(rel, t);
  }

  private async drain(): Promise<void> {
    // Let a burst of events collect before reading (one read per file per burst).
    await new Promise((r) => setTimeout(r, 1));
    while (!this.closed && (this.queue.size > 0 || this.rescanNeeded)) {
      let changed = false;
      if (this.rescanNeeded) {
        this.rescanNeeded = false;
        await this.scan();
        changed = true;
      }
      const batch = [...this.queue];
      this.queue.clear();
      for (const rel of batch) {
        const [teamDir, ...rest] = rel.split(sep);
        const team = this.teams.get(teamDir!);
        if (!team) {
          // A file in a directory we do not know yet may be the first file of a new team.
          this.rescanNeeded = true;
          continue;
        }
        try {
          if (await team.onPathChanged(rest.join('/'))) changed = true;
        } catch (e) {
          this.rootErrors = [{ file: rel, line: null, message: (e as Error).message, at: this.now() }];
          changed = true;
        }
      }
      if (changed) {
        this.invalidate();
        this.emitter.schedule();
      }
    }
  }

  private invalidate(): void {
    this.cached = null;
    this.version++;
  }

  async refresh(teamId: string): Promise<void> {
    const team = this.teams.get(teamId);
    if (!team) { await this.scan(); this.emitter.emitNow(); return; }
    for (const f of ['team.json', 'teammates.json', 'team-manifest.json', 'mailbox.jsonl', 'events.jsonl']) {
      await team.onPathChanged(f);
    }
    this.invalidate();
    this.emitter.emitNow();
  }

  readMailboxRange(teamId: string, start: number, count: number): Promise<Message[]> {
    const team = this.teams.get(teamId);
    return team ? team.mailbox.readRange(start, count) : Promise.resolve([]);
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

  subscribe(listener: () => void): () => void {
    return this.emitter.subscribe(listener);
  }

  get listenerCount(): number {
    return this.emitter.listenerCount;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.emitter.close();
    for (const t of this.settleTimers.values()) clearTimeout(t);
    this.settleTimers.clear();
    if (this.watcher) await this.watcher.close();
    this.watcher = null;
    if (this.draining) await this.draining.catch(() => undefined);
  }
}
