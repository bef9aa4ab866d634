// A state source loads one on-disk format into the model, keeps it current, and (through its
// writer, used only by the action layer) turns model effects into file writes. The TUI reads it as
// an external store: subscribe + getSnapshot, in the shape useSyncExternalStore wants.
import type { RootSnapshot } from '../model/types.js';

export interface StateSource {
  readonly kind: 'native' | 'claude';
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
  writer(teamId: string): import('../actions/types.js').Writer;
  /** Reads older mailbox messages by position (scrolling back beyond the in-memory window). */
  readMailboxRange(teamId: string, start: number, count: number): Promise<import('../model/types.js').Message[]>;
}

/** The root cannot be used at all (missing, not a directory, no teams). Exit code 2. */
export class RootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RootError';
  }
}

/**
 * Emission throttle: many file events in a burst become at most one snapshot per `interval` ms,
 * and the first change after a quiet period is emitted after `delay` ms (enough for a writer's
 * rename and a mailbox append to land together).
 */
export class Emitter {
  private listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private last = 0;

  constructor(private readonly delay = 2, private readonly interval = 33) {}

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => { this.listeners.delete(l); };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  schedule(): void {
    if (this.timer) return;
    const since = Date.now() - this.last;
    const wait = Math.max(this.delay, this.interval - since);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.emitNow();
    }, wait);
  }

  emitNow(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.last = Date.now();
    for (const l of [...this.listeners]) l();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }
}
