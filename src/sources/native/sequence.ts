// Allocating mailbox sequence numbers. The next sequence is 1 + the largest of every top-level
// `sequence` in mailbox.jsonl and teamtop's own counter, so no number is ever handed out twice —
// whatever other writers appended, however long their lines. The counter (.mailbox.seq) also
// remembers how far the file was scanned (with the inode and a hash of the bytes before that
// point), so an allocation reads only what was appended since the last one; a counter that does
// not match the file (replaced, truncated, rewritten, corrupt) is rebuilt by scanning it all.
// Callers hold the mailbox lock.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { openRegular, readRegularTextOrNull, stripBom } from '../../files/read.js';

export const SEQ_FILE = '.mailbox.seq';
/** Lines longer than this cannot be messages for any reader of teamtop's: skipped by the scan. */
const MAX_SCAN_LINE = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;
/** Bytes hashed at the start of the file and just before the scanned point. */
const HASHED = 4096;

/** A sequence cannot be allocated; nothing was written. */
export class SequenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SequenceError';
  }
}

export interface Counter {
  /** The largest sequence allocated or seen. */
  max: number;
  /** The file was scanned up to here (the start of a line). */
  bytes: number;
  ino: number;
  /** Hash of the first bytes and of those just before `bytes`: a rewrite of what was scanned is noticed. */
  tail: string;
}

/** The counter file's content, or null when absent or unusable (then the file is scanned whole). */
export function parseCounter(text: string | null): { counter: Counter | null; max: number } {
  if (text === null) return { counter: null, max: 0 };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { counter: null, max: 0 };
  }
  // The first format: a bare number, the high-water mark.
  if (typeof v === 'number') return { counter: null, max: Number.isSafeInteger(v) && v >= 0 ? v : 0 };
  if (!v || typeof v !== 'object') return { counter: null, max: 0 };
  const c = v as Record<string, unknown>;
  const ok = Number.isSafeInteger(c.max) && (c.max as number) >= 0 && Number.isSafeInteger(c.bytes) && (c.bytes as number) >= 0
    && Number.isSafeInteger(c.ino) && typeof c.tail === 'string';
  if (!ok) return { counter: null, max: Number.isSafeInteger(c.max) && (c.max as number) >= 0 ? (c.max as number) : 0 };
  return { counter: c as unknown as Counter, max: c.max as number };
}

/** A hash of the first and the last HASHED bytes before `end`: what was scanned, unchanged. */
async function hashBefore(fh: fsp.FileHandle, end: number): Promise<string> {
  const head = Math.min(end, HASHED);
  const tailStart = Math.max(head, end - HASHED);
  const buf = Buffer.alloc(head + (end - tailStart));
  if (head > 0) await fh.read(buf, 0, head, 0);
  if (end > tailStart) await fh.read(buf, head, end - tailStart, tailStart);
  return createHash('sha256').update(buf).digest('hex').slice(0, 32);
}

/** The top-level sequence of one line, when it has one that is a number. */
function sequenceOf(line: string): number | null {
  // The key may be spelled with \u escapes ("seq\u0075ence"): such lines are parsed too.
  if (!line.includes('"sequence"') && !line.includes('\\u')) return null;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const s = (v as Record<string, unknown>).sequence;
  return typeof s === 'number' ? s : null;
}

interface Scan { max: number; end: number; unsafe: { sequence: number; offset: number } | null }

/** The largest top-level sequence in [from, size), and where the last complete line ends. */
async function scan(fh: fsp.FileHandle, from: number, size: number): Promise<Scan> {
  let max = 0;
  let unsafe: Scan['unsafe'] = null;
  let pos = from;
  let lineStart = from;
  let parts: Buffer[] = [];
  let held = 0;
  let skipping = false;
  const buf = Buffer.allocUnsafe(CHUNK);
  while (pos < size) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos);
    if (bytesRead === 0) break;
    let start = 0;
    while (start < bytesRead) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl === -1 || nl >= bytesRead ? bytesRead : nl;
      if (!skipping) {
        if (held + end - start > MAX_SCAN_LINE) { skipping = true; parts = []; } else { parts.push(Buffer.from(buf.subarray(start, end))); held += end - start; }
      }
      if (nl === -1 || nl >= bytesRead) break;
      if (!skipping) {
        let text = Buffer.concat(parts).toString('utf8');
        if (lineStart === 0) text = stripBom(text);
        const s = sequenceOf(text);
        // Fractional, negative or zero sequences are not sequences to any reader (the line is
        // invalid state, reported as such): they neither raise the count nor block it. Only a
        // whole number too large to count past refuses allocation.
        if (s !== null) {
          if (s > Number.MAX_SAFE_INTEGER) {
            if (!unsafe) unsafe = { sequence: s, offset: lineStart };
          } else if (Number.isSafeInteger(s) && s > max) max = s;
        }
      }
      parts = [];
      held = 0;
      skipping = false;
      lineStart = pos + nl + 1;
      start = nl + 1;
    }
    pos += bytesRead;
  }
  return { max, end: lineStart, unsafe };
}

/**
 * The next sequence for `mailbox` (call under its lock) and the counter to write once the line
 * is appended. Throws SequenceError past Number.MAX_SAFE_INTEGER.
 */
export async function allocateSequence(mailbox: string, seqFile: string): Promise<{ sequence: number; counter: Counter }> {
  const text = (await readRegularTextOrNull(seqFile, 4096).catch(() => null))?.text ?? null;
  const { counter, max: counted } = parseCounter(text);
  let opened: Awaited<ReturnType<typeof openRegular>> | null = null;
  try {
    opened = await openRegular(mailbox);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  // No mailbox yet: the counter matches no file, so the next allocation scans whatever exists.
  if (!opened) {
    const sequence = next(counted);
    return { sequence, counter: { max: sequence, bytes: 0, ino: 0, tail: '' } };
  }
  const { fh, st } = opened;
  try {
    let from = 0;
    if (counter && counter.ino === st.ino && counter.bytes <= st.size && counter.tail === (await hashBefore(fh, counter.bytes))) {
      from = counter.bytes;
    }
    const s = await scan(fh, from, st.size);
    if (s.unsafe) {
      throw new SequenceError(`mailbox.jsonl holds sequence ${s.unsafe.sequence} (byte ${s.unsafe.offset}), beyond Number.MAX_SAFE_INTEGER: refusing to allocate another`);
    }
    const sequence = next(Math.max(counted, s.max));
    return { sequence, counter: { max: sequence, bytes: s.end, ino: st.ino, tail: await hashBefore(fh, s.end) } };
  } finally {
    await fh.close();
  }
}

function next(max: number): number {
  const sequence = max + 1;
  if (!Number.isSafeInteger(sequence)) {
    throw new SequenceError(`the next sequence would be ${sequence}, beyond Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER}): refusing to allocate it`);
  }
  return sequence;
}
