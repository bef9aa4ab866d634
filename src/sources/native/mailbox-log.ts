// mailbox.jsonl as the model sees it: a JsonlTail feeding the incremental aggregates, a bounded
// window of recent messages, and a byte-offset index so older messages can be read back on
// demand without keeping them in memory.
import { messageSchema, normalizeMessage, describeZodError } from '../../model/schemas.js';
import { MailboxAggregator } from '../../model/mailbox-aggregator.js';
import type { MailboxView, Message, StateError } from '../../model/types.js';
import { JsonlTail, readLinesAt, MAX_LINE_BYTES } from '../jsonl-tail.js';
import { nestsDeeperThan, MAX_JSON_DEPTH } from '../../files/json.js';
import { openRegular } from '../../files/read.js';
import { backgroundTurn } from '../foreground.js';

export const WINDOW = 1000;
const MAX_LISTED_ERRORS = 50;
/** Mailboxes larger than this are indexed in the background; the first frame shows their tail. */
export const TAIL_FIRST_BYTES = 4 * 1024 * 1024;
const TAIL_BYTES = 160 * 1024;
/** The background pass starts after the first frame has had its chance to render. */
const PASS_DELAY_MS = 200;
/**
 * Small chunks keep the event loop free for keys, appends and frames during the pass: the pass
 * yields after each one (about 2 ms of parsing on this machine).
 */
const PASS_CHUNK = 64 * 1024;

/** Growable array of byte offsets (one per valid message). */
class OffsetIndex {
  private a = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  get(i: number): number | undefined {
    return i >= 0 && i < this.length ? this.a[i] : undefined;
  }
  clear(): void {
    this.a = new Float64Array(1024);
    this.length = 0;
  }
}

export class MailboxLog {
  private agg = new MailboxAggregator();
  private recent: Message[] = [];
  private offsets = new OffsetIndex();
  private tail: JsonlTail;
  /** Skipped lines, listed with their line numbers (the first few), plus a total. */
  errors: StateError[] = [];
  private cachedView: MailboxView | null = null;
  indexing = false;
  /** While indexing: the messages of the file's tail, shown until the full pass is done. */
  private provisional: Message[] | null = null;
  /**
   * While indexing: a second reader from where the file ended when the pass began, so lines
   * appended meanwhile show at once (the pass reaches them later and indexes them in order).
   */
  private live: JsonlTail | null = null;
  private liveRecent: Message[] = [];
  /** Fraction of the first pass done (0..1), for the header. */
  progress = 1;

  constructor(readonly path: string, readonly file = 'mailbox.jsonl', private readonly now: () => number = Date.now) {
    this.tail = new JsonlTail(path, {
      line: (text, lineNo, offset) => this.onLine(text, lineNo, offset),
      oversized: (lineNo, _offset, bytes) => {
        this.agg.addSkipped();
        this.addError(lineNo, `line is ${bytes} bytes, over the ${MAX_LINE_BYTES}-byte limit: skipped`);
      },
      reset: () => this.reset(),
      problem: (message) => { this.problem = message; this.cachedView = null; },
    });
  }

  /** Why the file cannot be read at all (not a regular file…), or null. */
  problem: string | null = null;

  /** MailboxView.epoch: one more each time what was read is void. */
  private epoch = 0;

  private reset(): void {
    this.epoch++;
    this.agg = new MailboxAggregator();
    this.recent = [];
    this.offsets.clear();
    this.errors = [];
    this.cachedView = null;
  }

  private addError(line: number, message: string): void {
    this.cachedView = null;
    if (this.errors.length < MAX_LISTED_ERRORS) {
      this.errors.push({ file: this.file, line, message, at: this.now() });
    }
  }

  private onLine(text: string, lineNo: number, offset: number): void {
    this.cachedView = null;
    if (text.trim() === '') return;
    const msg = parseMessageLine(text, lineNo);
    if (typeof msg === 'string') {
      this.agg.addSkipped();
      this.addError(lineNo, msg);
      return;
    }
    this.agg.add(msg);
    this.offsets.push(offset);
    // The pass keeps no window: holding parsed messages only to drop them is what made its
    // memory peak; the last WINDOW are read back by offset when it is done.
    if (this.indexing) return;
    this.recent.push(msg);
    if (this.recent.length > WINDOW * 2) this.recent = this.recent.slice(-WINDOW);
  }

  /**
   * Reads what was appended. Resolves true when anything changed. While the background pass
   * runs, only the lines appended since it began are read (at once, for the screen).
   */
  poll(): Promise<boolean> {
    if (this.live) return this.live.poll();
    return this.tail.poll();
  }

  get byteOffset(): number {
    return this.tail.offset;
  }

  view(): MailboxView {
    if (this.cachedView) return this.cachedView;
    if (this.indexing && this.provisional) {
      const shown = this.liveRecent.length ? [...this.provisional, ...this.liveRecent].slice(-WINDOW) : this.provisional;
      this.cachedView = { aggregates: this.agg.snapshot(), recent: shown, recentStart: 0, indexing: true, progress: this.progress, epoch: this.epoch };
      return this.cachedView;
    }
    const recent = this.recent.length > WINDOW ? this.recent.slice(-WINDOW) : this.recent.slice();
    this.cachedView = {
      aggregates: this.agg.snapshot(),
      recent,
      recentStart: this.offsets.length - recent.length,
      indexing: this.indexing,
      progress: this.progress,
      epoch: this.epoch,
    };
    return this.cachedView;
  }

  /**
   * Whether what is new in the file should be indexed in the background (startTailFirst again)
   * rather than read in one go: another file put in its place (renamed over it, or shrunk) that is
   * large, or more new bytes than a first look reads.
   */
  async needsPass(): Promise<'replaced' | 'backlog' | null> {
    // Not while a pass runs or a read is in flight (rewinding under it would mix the two files):
    // the ordinary poll sees the new file and reads it.
    if (this.indexing || this.tail.reading) return null;
    const r = await this.tail.replaced();
    if (r === null) return null;
    if (r.replaced) return r.size > TAIL_FIRST_BYTES ? 'replaced' : null;
    // More new bytes than a first look reads in one go (a file copied in place: truncated, then
    // grown; a writer's burst): the rest is indexed in the background from where reading stopped.
    return r.size - this.tail.offset > TAIL_FIRST_BYTES ? 'backlog' : null;
  }

  /** Forgets the file as read (its aggregates, window and index), before indexing it again. */
  rewind(): void {
    this.tail.rewind();
  }

  /**
   * For a large mailbox: read only its tail now (the first frame shows the latest messages) and
   * return the full indexing pass (wrapped, so the caller need not wait for it), which yields to the event loop between chunks so
   * the UI stays responsive. `onProgress` is called now and then, and when the pass is done.
   * Small mailboxes are read in full at once (returns null).
   */
  async startTailFirst(onProgress: () => void): Promise<{ pass: Promise<void> } | null> {
    let opened;
    try {
      opened = await openRegular(this.path);
    } catch {
      return null; // absent or unreadable: the ordinary poll says why
    }
    const size = opened.st.size;
    if (size <= TAIL_FIRST_BYTES) {
      await opened.fh.close();
      return null;
    }
    this.provisional = await this.readTail(opened.fh, size);
    this.indexing = true;
    this.progress = 0;
    this.cachedView = null;
    this.live = new JsonlTail(this.path, {
      line: (text) => {
        const m = parseMessageLine(text, 0);
        if (typeof m === 'string') return; // the pass reports it, with its line number
        this.liveRecent.push(m);
        if (this.liveRecent.length > WINDOW * 2) this.liveRecent = this.liveRecent.slice(-WINDOW);
        this.cachedView = null;
      },
      oversized: () => undefined,
      reset: () => { this.liveRecent = []; this.cachedView = null; },
    });
    try {
      await this.live.startAt(size);
    } catch {
      this.live = null; // the file went away: the pass (and the ordinary poll) say why
    }
    let last = Date.now();
    const pass = new Promise((r) => setTimeout(r, PASS_DELAY_MS)).then(() => this.tail.poll(async ({ offset, size: total }) => {
      this.progress = total > 0 ? offset / total : 1;
      if (Date.now() - last > 250) {
        last = Date.now();
        this.cachedView = null;
        onProgress();
      }
      // The next chunk waits for a change being read in the foreground (any team's).
      await backgroundTurn();
    }, PASS_CHUNK)).then(async () => {
      // The window the pass did not keep: the last messages, read back by offset.
      const n = Math.min(WINDOW, this.offsets.length);
      this.recent = await this.readRange(this.offsets.length - n, n);
    }).catch(() => {
      // The file went away or changed under the pass: the poll below starts over and says why.
      this.tail.rewind();
    }).finally(async () => {
      this.indexing = false;
      this.provisional = null;
      this.live = null;
      this.liveRecent = [];
      this.progress = 1;
      this.cachedView = null;
      // Lines appended after the pass caught up went to the live reader only: read them now.
      await this.tail.poll().catch(() => false);
      this.cachedView = null;
      onProgress();
    });
    // Wrapped: an async function returning a bare promise would adopt it (and wait for the pass).
    return { pass };
  }

  private async readTail(fh: import('node:fs').promises.FileHandle, size: number): Promise<Message[]> {
    try {
      const len = Math.min(size, TAIL_BYTES);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, size - len);
      const lines = buf.toString('utf8').split('\n');
      lines.shift(); // probably cut
      const out: Message[] = [];
      for (const l of lines) {
        if (!l.trim()) continue;
        const m = parseMessageLine(l, 0);
        if (typeof m !== 'string') out.push(m);
      }
      return out.slice(-WINDOW);
    } finally {
      await fh.close();
    }
  }

  /** Messages [start, start+count) of the whole mailbox, read from disk by offset. */
  async readRange(start: number, count: number): Promise<Message[]> {
    const first = this.offsets.get(start);
    if (first === undefined || count <= 0) return [];
    const out: Message[] = [];
    const lines = await readLinesAt(this.path, first, count * 2 + 8);
    for (const text of lines) {
      if (out.length >= count) break;
      const m = parseMessageLine(text, 0);
      if (typeof m !== 'string') out.push(m);
    }
    return out;
  }

  markDirty(): void {
    this.cachedView = null;
  }
}

/** A Message, or a description of why the line was skipped. */
export function parseMessageLine(text: string, lineNo: number): Message | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  if (nestsDeeperThan(raw)) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
  const r = messageSchema.safeParse(raw);
  if (!r.success) return describeZodError(r.error);
  return normalizeMessage(r.data, lineNo);
}
