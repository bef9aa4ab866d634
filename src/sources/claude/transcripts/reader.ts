// One transcript, tailed: each poll reads only the bytes appended since the last one (JsonlTail),
// and folds them into aggregates. When JsonlTail restarts the file (truncated, replaced or rewritten
// in place), the aggregates restart with it.
import { JsonlTail, MAX_LINE_BYTES } from '../../jsonl-tail.js';
import { TranscriptAggregate, type TranscriptStats } from './aggregate.js';

export class TranscriptReader {
  private readonly agg = new TranscriptAggregate();
  private readonly tail: JsonlTail;

  constructor(readonly path: string, maxLineBytes = MAX_LINE_BYTES) {
    this.tail = new JsonlTail(path, this.agg, maxLineBytes);
  }

  /**
   * Reads what was appended since the last call; resolves true when anything changed. Never
   * rejects: a file that cannot be read is reported in `stats().problem`.
   */
  async poll(): Promise<boolean> {
    try {
      return await this.tail.poll();
    } catch (e) {
      const message = `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      const changed = this.agg.stats().problem !== message;
      this.agg.problem(message);
      return changed;
    }
  }

  /** The byte offset read up to (a partial last line's bytes included: it is held until its newline). */
  get offset(): number {
    return this.tail.offset;
  }

  /** A copy of the aggregates so far. */
  stats(): TranscriptStats {
    return this.agg.stats();
  }
}
