// Watching a state directory: chokidar events become a queue of changed paths, handled in
// batches (one read per file per burst). Shared by every source.
import { relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { trace } from '../model/trace.js';

/** chokidar throttles repeated change events on one path: re-read each path once more after this. */
const SETTLE_MS = 120;

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
}

export class WatchQueue {
  private watcher: FSWatcher | null = null;
  private queue = new Set<string>();
  private draining: Promise<void> | null = null;
  private settle = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly o: WatchQueueOptions) {}

  async start(): Promise<void> {
    if (this.watcher || this.closed) return;
    this.watcher = watch(this.o.paths ?? this.o.root, { ignoreInitial: true, depth: this.o.depth, ignored: this.o.ignored });
    this.watcher.on('all', (_event, path) => { trace('event'); this.enqueue(path); });
    this.watcher.on('error', (err) => this.o.error(err));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  /** Queues a path (absolute) as changed. */
  enqueue(path: string, settled = false): void {
    if (this.closed) return;
    const rel = relative(this.o.root, path);
    if (rel.startsWith('..')) return;
    const key = rel.split(sep).join('/');
    this.queue.add(key);
    // A writer that truncates and then writes in place may leave us with only the truncated
    // read (its second event throttled away): read each changed path once more after the burst.
    // Unchanged content costs a read and no render.
    if (!settled && key !== '') {
      const prev = this.settle.get(key);
      if (prev) clearTimeout(prev);
      const t = setTimeout(() => { this.settle.delete(key); this.enqueue(path, true); }, SETTLE_MS);
      t.unref();
      this.settle.set(key, t);
    }
    if (!this.draining) this.draining = this.drain().finally(() => { this.draining = null; });
  }

  private async drain(): Promise<void> {
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
    if (this.watcher) await this.watcher.close();
    this.watcher = null;
    if (this.draining) await this.draining.catch(() => undefined);
  }
}
