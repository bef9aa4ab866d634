// A state source loads one on-disk format into the model, keeps it current, and (through its
// writer, used only by the action layer) turns model effects into file writes. The TUI reads it as
// an external store: subscribe + getSnapshot, in the shape useSyncExternalStore wants.
import type { Message, StateError } from '../model/types.js';
import type { RootSnapshot, SnapshotStore, TeamSnapshot } from '../model/snapshot.js';
import { WatchQueue, type WatchQueueOptions } from './watch-queue.js';
import { trace } from '../model/trace.js';

export interface StateSource extends SnapshotStore {
  /** The format's id. */
  readonly kind: string;
  readonly root: string;
  /** Loads everything once. Rejects with a RootError when the root is unusable. */
  load(): Promise<void>;
  /** Starts watching for changes (after load). */
  watch(): Promise<void>;
  /** Stops watching and releases every handle and timer. */
  close(): Promise<void>;
  getSnapshot(): RootSnapshot;
  subscribe(listener: () => void): () => void;
  /** How many listeners are subscribed (leak checks). */
  readonly listenerCount: number;
  /** Re-reads a team at once (after teamtop itself wrote to it), without waiting for the watcher. */
  refresh(teamId: string): Promise<void>;
  /** The writer that carries out the action layer's effects on a team's files. */
  writer(teamId: string): import('../ports/effects.js').Writer;
  /** Reads older mailbox messages by position (scrolling back beyond the in-memory window). */
  readMailboxRange(teamId: string, start: number, count: number): Promise<import('../model/types.js').Message[]>;
  /** The archive of an aborted team (RootSnapshot.archived), read as a team, for post-mortems. */
  loadArchived?(dirName: string): Promise<import('../model/snapshot.js').TeamSnapshot>;
}

/** Messages by position, for formats whose whole mailbox is in memory (no index to read back from). */
export function inMemoryRange(team: { snapshot(): TeamSnapshot } | undefined, start: number, count: number): Promise<Message[]> {
  return Promise.resolve(team ? team.snapshot().mailbox.recent.slice(start, start + count) : []);
}

/** The root cannot be used at all (missing, not a directory, no teams). Exit code 2. */
export class RootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RootError';
  }
}

/**
 * Emission throttle: the first change after a quiet period is emitted at once (on the next turn
 * of the event loop, so events read in the same turn go out together); after that, a burst of
 * file events becomes at most one snapshot per `interval` ms. A background pass's progress (at
 * most a few a second) goes out on the next turn and does not count against the interval, so it
 * never holds back a change that follows it.
 */
export class Emitter {
  private listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  /** Whether the emit on the next turn carries a change (not only background progress). */
  private immediateCounts = false;
  private last = -Infinity;

  constructor(private readonly interval = 33) {}

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => { this.listeners.delete(l); };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  schedule(background = false): void {
    if (this.immediate) {
      if (!background) this.immediateCounts = true;
      return;
    }
    if (this.timer && !background) return;
    const wait = background ? 0 : this.interval - (performance.now() - this.last);
    if (wait <= 0) {
      this.immediateCounts = !background;
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.emitNow(this.immediateCounts);
      });
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.emitNow();
    }, wait);
  }

  /** Emits now; `counts` false: background progress only, which leaves the throttle as it was. */
  emitNow(counts = true): void {
    // A change waiting for the interval goes out with this emit, and counts.
    if (counts || this.timer) this.last = performance.now();
    this.cancel();
    trace('emit');
    for (const l of [...this.listeners]) l();
  }

  close(): void {
    this.cancel();
    this.listeners.clear();
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}

/**
 * The bookkeeping every watching source shares: the snapshot cache and its version, the emitter,
 * the watch queue (a watcher error becomes a root error), subscribe and close. A source supplies
 * how it loads, how a batch of changed paths maps to its teams, and how it builds a snapshot.
 */
export abstract class WatchedSource {
  protected readonly emitter = new Emitter();
  protected watcher: WatchQueue | null = null;
  protected cached: RootSnapshot | null = null;
  protected version = 0;
  protected closed = false;
  /** Problems with the root itself (not a team). */
  protected rootErrors: StateError[] = [];

  constructor(readonly root: string, protected readonly now: () => number) {}

  protected invalidate(): void {
    this.cached = null;
    this.version++;
  }

  /** Starts the watch queue; `changed` batches and watcher errors invalidate and emit. */
  protected async startWatching(o: Omit<WatchQueueOptions, 'root' | 'changed' | 'error'>): Promise<void> {
    if (this.watcher || this.closed) return;
    this.watcher = new WatchQueue({
      ...o,
      root: this.root,
      changed: () => { this.invalidate(); this.emitter.schedule(); },
      error: (err) => {
        this.rootErrors = [{ file: this.root, line: null, message: `watcher: ${String(err)}`, at: this.now() }];
        this.invalidate();
        this.emitter.schedule();
      },
    });
    await this.watcher.start();
  }

  subscribe(listener: () => void): () => void {
    return this.emitter.subscribe(listener);
  }

  /** Re-reads one team's files (false: no such team). */
  protected abstract reloadTeam(teamId: string): Promise<boolean>;
  /** Looks for teams under the root again. */
  protected abstract scan(): Promise<unknown>;

  /**
   * After an action's writes: the team re-read (the root scanned again when it is not known), and
   * the new snapshot emitted at once, not after the watcher's next event.
   */
  async refresh(teamId: string): Promise<void> {
    if (!(await this.reloadTeam(teamId))) await this.scan();
    this.invalidate();
    this.emitter.emitNow();
  }

  private pollTimer: NodeJS.Timeout | null = null;

  /**
   * For what cannot be watched cheaply (tmux panes, transcripts, records outside the root): `poll`
   * every `everyMs` while watching; a poll that changed something emits. Stopped by close().
   */
  protected startPolling(everyMs: number, poll: () => Promise<boolean>): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => {
      void poll().then((changed) => { if (changed && !this.closed) this.emitter.schedule(); }, () => undefined);
    }, everyMs);
    this.pollTimer.unref();
  }

  /** The root snapshot of `teams` (sorted by id), kept until the next change. */
  protected rootSnapshot(source: string, teams: Iterable<{ snapshot(): TeamSnapshot }>, errors: () => StateError[]): RootSnapshot {
    if (this.cached) return this.cached;
    const list = [...teams].map((t) => t.snapshot()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.cached = { root: this.root, source, teams: list, archived: [], errors: errors(), version: this.version };
    return this.cached;
  }

  get listenerCount(): number {
    return this.emitter.listenerCount;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.emitter.close();
    await this.watcher?.close();
    this.watcher = null;
  }
}
