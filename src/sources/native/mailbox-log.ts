// mailbox.jsonl as the model sees it: a JsonlTail feeding the incremental aggregates, a bounded
// window of recent messages, and a byte-offset index so older messages can be read back on
// demand without keeping them in memory.
import { messageSchema, normalizeMessage, describeZodError } from '../../model/schemas.js';
import { MailboxAggregator } from '../../model/mailbox-aggregator.js';
import type { MailboxView, Message, StateError } from '../../model/types.js';
import { JsonlTail, readLinesAt, MAX_LINE_BYTES, type TailProgress } from '../jsonl-tail.js';

export const WINDOW = 1000;
const MAX_LISTED_ERRORS = 50;

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

  constructor(readonly path: string, readonly file = 'mailbox.jsonl', private readonly now: () => number = Date.now) {
    this.tail = new JsonlTail(path, {
      line: (text, lineNo, offset) => this.onLine(text, lineNo, offset),
      oversized: (lineNo, _offset, bytes) => {
        this.agg.addSkipped();
        this.addError(lineNo, `line is ${bytes} bytes, over the ${MAX_LINE_BYTES}-byte limit: skipped`);
      },
      reset: () => this.reset(),
    });
  }

  private reset(): void {
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
    this.recent.push(msg);
    if (this.recent.length > WINDOW * 2) this.recent = this.recent.slice(-WINDOW);
  }

  /** Reads what was appended. Resolves true when anything changed. */
  poll(onChunk?: (p: TailProgress) => Promise<void> | void): Promise<boolean> {
    return this.tail.poll(onChunk);
  }

  get byteOffset(): number {
    return this.tail.offset;
  }

  view(): MailboxView {
    if (this.cachedView) return this.cachedView;
    const recent = this.recent.length > WINDOW ? this.recent.slice(-WINDOW) : this.recent.slice();
    this.cachedView = {
      aggregates: this.agg.snapshot(),
      recent,
      recentStart: this.offsets.length - recent.length,
      indexing: this.indexing,
    };
    return this.cachedView;
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
  const r = messageSchema.safeParse(raw);
  if (!r.success) return describeZodError(r.error);
  return normalizeMessage(r.data, lineNo);
}
