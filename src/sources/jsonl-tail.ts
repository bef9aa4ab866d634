// Reads a JSON Lines file incrementally from the last byte offset: an append costs only the new
// bytes. A partial last line is held until its newline arrives. A shrink, a new inode or changed
// bytes before the offset (the file was truncated, replaced or rewritten in place) restart from
// the beginning. Lines over the size limit are skipped without ever being held in memory whole.
// A file that is not a regular file (a FIFO, a device, a symbolic link) is never read: the sink
// is told, and what was read before stays.
import { createHash } from 'node:crypto';
import type { promises as fsp } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { openRegular, stripBom, UnreadableFileError } from '../files/read.js';

export const MAX_LINE_BYTES = 1024 * 1024;
const CHUNK = 1024 * 1024;

export interface LineSink {
  /** A complete line (without the newline). `offset` is the byte offset of its first byte. */
  line(text: string, lineNo: number, offset: number): void;
  /** A line that exceeded the size limit. */
  oversized(lineNo: number, offset: number, bytes: number): void;
  /** The file was truncated or replaced: everything read so far is void. */
  reset(): void;
  /** The file cannot be read (not a regular file…), or null once it can be again. */
  problem?(message: string | null): void;
}

/** How many bytes at each end of what was read are compared before reading on. */
const CHECKED_BYTES = 4096;

export interface TailProgress {
  offset: number;
  size: number;
}

export class JsonlTail {
  offset = 0;
  lineNo = 0;
  private ino: number | null = null;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private partialStart = 0;
  /** Set while skipping the rest of an oversized line. */
  private skipping = false;
  private busy: Promise<boolean> | null = null;
  private again = false;
  /** Hash of the first and of the last CHECKED_BYTES read (an in-place rewrite changes them). */
  private seen: string | null = null;
  private unreadable: string | null = null;

  constructor(readonly path: string, private readonly sink: LineSink, private readonly maxLine = MAX_LINE_BYTES) {}

  /**
   * Reads whatever was appended since the last call. Concurrent calls are coalesced: a call made
   * while a read is running schedules one more pass. Resolves true when anything changed.
   * `onChunk` is called between chunks (so a long first pass can yield and report progress).
   */
  poll(onChunk?: (p: TailProgress) => Promise<void> | void, chunk = CHUNK): Promise<boolean> {
    if (this.busy) {
      this.again = true;
      return this.busy;
    }
    const run = async (): Promise<boolean> => {
      let changed = false;
      do {
        this.again = false;
        changed = (await this.readNew(onChunk, chunk)) || changed;
      } while (this.again);
      return changed;
    };
    this.busy = run().finally(() => { this.busy = null; });
    return this.busy;
  }

  private async readNew(onChunk: ((p: TailProgress) => Promise<void> | void) | undefined, chunk: number): Promise<boolean> {
    let fh: fsp.FileHandle;
    let st: import('node:fs').Stats;
    try {
      ({ fh, st } = await openRegular(this.path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        const was = this.setProblem(null);
        if (this.offset > 0 || this.ino !== null) { this.restart(); return true; }
        return was;
      }
      if (e instanceof UnreadableFileError) return this.setProblem(e.message);
      throw e;
    }
    try {
      let changed = this.setProblem(null);
      if ((this.ino !== null && st.ino !== this.ino) || st.size < this.offset || (this.offset > 0 && (await this.fingerprint(fh)) !== this.seen)) {
        this.restart();
        changed = true;
      }
      this.ino = st.ino;
      if (st.size === this.offset) return changed;
      const buf = Buffer.allocUnsafe(Math.min(chunk, Math.max(st.size - this.offset, 1)));
      let size = st.size;
      while (this.offset < size) {
        const want = Math.min(buf.length, size - this.offset);
        const { bytesRead } = await fh.read(buf, 0, want, this.offset);
        if (bytesRead === 0) break;
        this.consume(buf, bytesRead);
        if (onChunk) await onChunk({ offset: this.offset, size });
        if (this.offset >= size) {
          // Writers may have appended while we read: keep going until we catch up.
          const now = await fh.stat();
          if (now.size > size) size = now.size;
        }
      }
      this.seen = await this.fingerprint(fh);
      return true;
    } finally {
      await fh.close();
    }
  }

  /**
   * Starts at byte `offset` (a line boundary) instead of the beginning: what comes before it is
   * never read. A later shrink, replacement or rewrite before it restarts from 0 as usual.
   */
  async startAt(offset: number): Promise<void> {
    const { fh, st } = await openRegular(this.path);
    try {
      this.ino = st.ino;
      this.offset = Math.min(offset, st.size);
      this.seen = await this.fingerprint(fh);
    } finally {
      await fh.close();
    }
  }

  /** Whether the problem changed. */
  private setProblem(message: string | null): boolean {
    if (message === this.unreadable) return false;
    this.unreadable = message;
    this.sink.problem?.(message);
    return true;
  }

  /** A hash of the first and last CHECKED_BYTES before the offset. */
  private async fingerprint(fh: fsp.FileHandle): Promise<string> {
    const h = createHash('sha1');
    const head = Math.min(this.offset, CHECKED_BYTES);
    const tailStart = Math.max(head, this.offset - CHECKED_BYTES);
    const buf = Buffer.allocUnsafe(head + (this.offset - tailStart));
    if (head > 0) await fh.read(buf, 0, head, 0);
    if (this.offset > tailStart) await fh.read(buf, head, this.offset - tailStart, tailStart);
    return h.update(buf).digest('hex');
  }

  /**
   * Whether the file at the path is no longer the one read so far (another file renamed over it,
   * or it shrank), and its size now: such a file is read from its start on the next poll.
   */
  async replaced(): Promise<{ replaced: boolean; size: number } | null> {
    try {
      const st = await lstat(this.path);
      return { replaced: (this.ino !== null && st.ino !== this.ino) || st.size < this.offset, size: st.size };
    } catch {
      return null;
    }
  }

  /** Whether a read is in flight. */
  get reading(): boolean {
    return this.busy !== null;
  }

  /** Forgets what was read: the next poll reads the file from its start (the sink is reset now). */
  rewind(): void {
    this.restart();
  }

  private restart(): void {
    this.offset = 0;
    this.lineNo = 0;
    this.ino = null;
    this.seen = null;
    this.partial = [];
    this.partialBytes = 0;
    this.skipping = false;
    this.sink.reset();
  }

  /**
   * For a one-shot read of a file that is complete: hands an unterminated last line to the sink
   * as a line (or as oversized) instead of holding it for a newline that will not come.
   */
  flush(): void {
    if (this.partialBytes === 0 && !this.skipping) return;
    this.lineNo++;
    if (this.skipping) this.sink.oversized(this.lineNo, this.partialStart, this.partialBytes);
    else {
      let text = Buffer.concat(this.partial).toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (this.partialStart === 0) text = stripBom(text);
      this.sink.line(text, this.lineNo, this.partialStart);
    }
    this.partial = [];
    this.partialBytes = 0;
    this.skipping = false;
  }

  private consume(buf: Buffer, n: number): void {
    let start = 0;
    const base = this.offset;
    while (start < n) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl === -1 || nl >= n ? n : nl;
      const piece = end - start;
      if (this.skipping) {
        this.partialBytes += piece;
      } else if (this.partialBytes + piece > this.maxLine) {
        this.skipping = true;
        this.partial = [];
        this.partialBytes += piece;
      } else if (nl === -1 || nl >= n) {
        if (this.partialBytes === 0) this.partialStart = base + start;
        this.partial.push(Buffer.from(buf.subarray(start, end)));
        this.partialBytes += piece;
      }
      if (nl === -1 || nl >= n) break;
      // A newline: the line is complete.
      this.lineNo++;
      const lineStart = this.partialBytes > 0 ? this.partialStart : base + start;
      if (this.skipping) {
        this.sink.oversized(this.lineNo, lineStart, this.partialBytes);
      } else {
        let text: string;
        if (this.partial.length) {
          this.partial.push(buf.subarray(start, end));
          text = Buffer.concat(this.partial).toString('utf8');
        } else {
          text = buf.toString('utf8', start, end);
        }
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (lineStart === 0) text = stripBom(text);
        this.sink.line(text, this.lineNo, lineStart);
      }
      this.partial = [];
      this.partialBytes = 0;
      this.skipping = false;
      start = nl + 1;
    }
    this.offset = base + n;
  }
}

/** Reads `count` complete lines starting at byte `offset` (for scrolling back by offset). */
export async function readLinesAt(path: string, offset: number, count: number, maxBytes = 8 * CHUNK): Promise<string[]> {
  const { fh } = await openRegular(path);
  try {
    const out: string[] = [];
    let pos = offset;
    let carry = '';
    const dec = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(64 * 1024);
    while (out.length < count && pos - offset < maxBytes) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const parts = (carry + dec.write(buf.subarray(0, bytesRead))).split('\n');
      carry = parts.pop() ?? '';
      for (const p of parts) {
        out.push(p.endsWith('\r') ? p.slice(0, -1) : p);
        if (out.length >= count) break;
      }
    }
    return out;
  } finally {
    await fh.close();
  }
}
