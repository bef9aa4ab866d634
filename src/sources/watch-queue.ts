// Watching a state directory: chokidar events become a queue of changed paths, handled in
// batches (one read per file per burst). Shared by every source.
import { basename, join, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { trace } from '../model/trace.js';
import { foregroundStart } from './foreground.js';

/**
 * chokidar drops a change event that follows another on the same path within 50 ms (its throttle
 * has no trailing event): a path seen changing is re-read once more this long after its last event,
 * and at once on a raw fs.watch event for it meanwhile (the raw events are not throttled).
 */
const SETTLE_MS = 120;
/** Reads a path's raw events trigger are at least this far apart (the rest wait for the next). */
const RAW_GAP_MS = 25;

export interface WatchQueueOptions {
  /** The directory paths are made relative to. */
  root: string;
  /** What to watch (default: root). */
  paths?: string[];
  depth: number;
  ignored: (path: string) => boolean;
  /** Handles a batch of changed paths (relative, `/`-separated); resolves true when anything changed. */
  handle: (rels: string[]) => Promise<boolean>;
  /** Called after a batch that changed something. */
  changed: () => void;
  error: (err: unknown) => void;
  /** How long after its last event a changed path is read once more (default SETTLE_MS; tests). */
  settleMs?: number;
}

export class WatchQueue {
  private watcher: FSWatcher | null = null;
  private queue = new Set<string>();
  private draining: Promise<void> | null = null;
  private settle = new Map<string, NodeJS.Timeout>();
  /** Paths read on a raw event within the last RAW_GAP_MS, and whether another raw event came since. */
  private rawGap = new Map<string, { timer: NodeJS.Timeout; again: boolean }>();
  private closed = false;

  constructor(private readonly o: WatchQueueOptions) {}

  async start(): Promise<void> {
    if (this.watcher || this.closed) return;
    this.watcher = watch(this.o.paths ?? this.o.root, { ignoreInitial: true, depth: this.o.depth, ignored: this.o.ignored });
    this.watcher.on('all', (_event, path) => { trace('event'); this.enqueue(path); });
    this.watcher.on('raw', (_event, name, details) => this.onRaw(name, details));
    this.watcher.on('error', (err) => this.o.error(err));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  /** Queues a path (absolute) as changed. */
  enqueue(path: string, settled = false): void {
    if (this.closed) return;
    const key = this.keyOf(path);
    if (key === null) return;
    this.queue.add(key);
    // A writer that truncates and then writes in place may leave us with only the truncated
    // read (its second event throttled away): read each changed path once more after the burst.
    // Unchanged content costs a read and no render.
    if (!settled && key !== '') {
      const prev = this.settle.get(key);
      if (prev) clearTimeout(prev);
      const t = setTimeout(() => { this.settle.delete(key); this.enqueue(path, true); }, this.o.settleMs ?? SETTLE_MS);
      t.unref();
      this.settle.set(key, t);
    }
    if (!this.draining) this.draining = this.drain().finally(() => { this.draining = null; });
  }

  /**
   * A raw event: a directory's watcher names an entry in it; a file's own watcher names the file.
   * It is queued only for a file seen changing within SETTLE_MS (already past chokidar's filters),
   * whose next change chokidar may drop; anything else is left to chokidar. It neither extends
   * the settle window nor reads a busy file more than once per RAW_GAP_MS (a later raw event in
   * the gap is read when it ends).
   */
  private onRaw(name: string | null, details: unknown): void {
    if (this.settle.size === 0 || !name) return;
    const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (typeof watched !== 'string') return;
    const entry = join(watched, name);
    const key = this.keyOf(entry);
    if (key !== null && this.settle.has(key)) this.rawRead(entry, key);
    else if (basename(watched) === name) {
      const own = this.keyOf(watched);
      if (own !== null && this.settle.has(own)) this.rawRead(watched, own);
    }
  }

  private rawRead(path: string, key: string): void {
    const gap = this.rawGap.get(key);
    if (gap) {
      gap.again = true;
      return;
    }
    trace('event', 'raw');
    this.enqueue(path, true);
    const timer = setTimeout(() => {
      const ended = this.rawGap.get(key);
      this.rawGap.delete(key);
      if (ended?.again) this.rawRead(path, key);
    }, RAW_GAP_MS);
    timer.unref();
    this.rawGap.set(key, { timer, again: false });
  }

  /** The queue's key for an absolute path: relative to the root (the root itself ''), `/`-separated; null outside it. */
  private keyOf(path: string): string | null {
    const rel = relative(this.o.root, path);
    return rel.startsWith('..') ? null : rel.split(sep).join('/');
  }

  private async drain(): Promise<void> {
    // Background passes hold off until the change is read and its snapshot has gone out (the
    // emitter sends it on the next turn: ending on the turn after leaves it ahead of them).
    const end = foregroundStart();
    try {
      await this.drainQueue();
    } finally {
      setImmediate(end);
    }
  }

  private async drainQueue(): Promise<void> {
    // Events delivered in the same turn of the event loop are read together.
    await new Promise((r) => setImmediate(r));
    while (!this.closed && this.queue.size > 0) {
      const batch = [...this.queue];
      this.queue.clear();
      let changed = false;
      try {
        changed = await this.o.handle(batch);
      } catch (e) {
        this.o.error(e);
      }
      trace('read', changed ? 'changed' : 'same');
      if (changed && !this.closed) this.o.changed();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.settle.values()) clearTimeout(t);
    this.settle.clear();
    for (const g of this.rawGap.values()) clearTimeout(g.timer);
    this.rawGap.clear();
    if (this.watcher) await this.watcher.close();
    this.watcher = null;
    if (this.draining) await this.draining.catch(() => undefined);
  }
}
