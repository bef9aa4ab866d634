// events.jsonl of an omc team: appended a line at a time, never rewritten by omc. Read from where
// the last read ended (a file that shrank or was replaced is read again from the start), so a long
// history costs nothing per change. A last line without its newline waits for the next change.
import { constants, promises as fsp } from 'node:fs';
import type { StateError, TeamEvent } from '../../model/types.js';
import { parseJson } from '../../files/json.js';
import { describeZodError } from '../../model/schemas.js';
import { eventSchema } from './schemas.js';
import { toMs } from '../../model/time.js';

type Fail = (file: string, line: number | null, message: string) => void;

/** How many line errors are kept (a file of garbage is said in a few, not in thousands). */
const MAX_ERRORS = 20;

export class EventsLog {
  private ino = -1;
  private offset = 0;
  private lines = 0;
  private list: TeamEvent[] = [];
  private problems: Array<Omit<StateError, 'at'>> = [];

  async read(file: string, fail: Fail): Promise<TeamEvent[]> {
    const st = await fsp.lstat(file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : e));
    if (st === null) { this.reset(); return this.list; }
    if (st instanceof Error) { fail(file, null, `cannot read: ${st.message}`); return this.list; }
    if (!st.isFile()) { this.reset(); fail(file, null, `${st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}: not read`); return this.list; }
    if (st.ino !== this.ino || st.size < this.offset) { this.reset(); this.ino = st.ino; }
    if (st.size > this.offset) {
      const fh = await fsp.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      try {
        const buf = Buffer.alloc(st.size - this.offset);
        const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
        const end = buf.subarray(0, bytesRead).lastIndexOf(10);
        if (end >= 0) {
          this.offset += end + 1;
          const batch: TeamEvent[] = [];
          for (const l of buf.subarray(0, end).toString('utf8').split('\n')) this.add(file, l, batch);
          // A new array: the snapshots already handed out keep theirs. Kept in time order (the
          // timeline's); appends normally come in order, so the sort is rarely needed.
          if (batch.length) {
            const next = this.list.concat(batch);
            const ordered = next.every((e, i) => i === 0 || (e.timestamp ?? 0) >= (next[i - 1]!.timestamp ?? 0));
            this.list = ordered ? next : next.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0) || a.line - b.line);
          }
        }
      } finally {
        await fh.close();
      }
    }
    for (const p of this.problems) fail(p.file, p.line, p.message);
    return this.list;
  }

  private add(file: string, l: string, batch: TeamEvent[]): void {
    const line = ++this.lines;
    if (l.trim() === '') return;
    const p = parseJson(l);
    const r = p.ok ? eventSchema.safeParse(p.value) : null;
    if (!p.ok || !r?.success) {
      if (this.problems.length < MAX_ERRORS) this.problems.push({ file, line, message: p.ok ? describeZodError(r!.error!) : p.message });
      return;
    }
    batch.push({ timestamp: toMs(r.data.created_at), type: r.data.type, line, data: r.data as Record<string, unknown> });
  }

  private reset(): void {
    this.ino = -1;
    this.offset = 0;
    this.lines = 0;
    this.list = [];
    this.problems = [];
  }
}
