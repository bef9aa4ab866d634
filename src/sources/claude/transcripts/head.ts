// The head of a transcript: who wrote it, where, when it started and its first prompt, from the
// first few KiB only (a candidate is examined this way before anything tails it whole).
import { openRegular } from '../../../files/read.js';
import { TranscriptAggregate } from './aggregate.js';

export interface TranscriptHead {
  sessionId: string | null;
  agentId: string | null;
  cwd: string | null;
  startedAt: number | null;
  /** The first user message (a subagent's spawn prompt), capped like TranscriptStats.firstPrompt. */
  firstPrompt: string | null;
  model: string | null;
  /** Whether the head is final: the first prompt was found, or the read limit was reached. */
  complete: boolean;
}

/** How far a head read goes at most (a first prompt in a longer first line is not found). */
export const HEAD_MAX_BYTES = 64 * 1024;
const CHUNK = 16 * 1024;

/**
 * Reads the head of a transcript: complete lines from the start, stopping as soon as identity, start
 * and first prompt are known, at `maxBytes`, or at the end. Rejects like openRegular (ENOENT;
 * UnreadableFileError for a FIFO, a symbolic link…), so it never blocks.
 */
export async function readHead(path: string, maxBytes = HEAD_MAX_BYTES): Promise<TranscriptHead> {
  const agg = new TranscriptAggregate();
  const { fh, st } = await openRegular(path);
  let atEnd = false;
  try {
    let pending = Buffer.alloc(0);
    let pos = 0;
    const buf = Buffer.allocUnsafe(CHUNK);
    while (pos < maxBytes && !agg.headComplete) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, maxBytes - pos), pos);
      if (bytesRead === 0) {
        atEnd = true;
        break;
      }
      pos += bytesRead;
      pending = Buffer.concat([pending, buf.subarray(0, bytesRead)]);
      if (pos === bytesRead && pending[0] === 0xef && pending[1] === 0xbb && pending[2] === 0xbf) pending = pending.subarray(3);
      let nl: number;
      while ((nl = pending.indexOf(0x0a)) !== -1 && !agg.headComplete) {
        agg.line(pending.toString('utf8', 0, nl));
        pending = pending.subarray(nl + 1);
      }
    }
    // The last line of a file that ends without a newline (it may still be being written: a
    // half line fails to parse and is only counted as bad).
    if ((atEnd || pos >= st.size) && pending.length > 0 && !agg.headComplete) agg.line(pending.toString('utf8'));
  } finally {
    await fh.close();
  }
  const s = agg.stats();
  return {
    sessionId: s.sessionId, agentId: s.agentId, cwd: s.cwd, startedAt: s.startedAt, firstPrompt: s.firstPrompt, model: s.model,
    complete: s.firstPrompt !== null || (!atEnd && st.size >= maxBytes),
  };
}
