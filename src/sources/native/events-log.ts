// events.jsonl as the model sees it: read incrementally, each line validated; bad lines are
// listed (the first few) and counted, and once the list is full no message is built for the
// rest — a file of millions of junk lines costs neither memory nor time per line.
import { describeZodError, eventSchema, normalizeEvent } from '../../model/schemas.js';
import type { StateError, TeamEvent } from '../../model/types.js';
import { nestsDeeperThan, parseJson } from '../../files/json.js';
import { JsonlTail } from '../jsonl-tail.js';

/** Bad lines listed one by one (the rest are counted). */
export const MAX_LISTED_ERRORS = 50;

export class EventsLog {
  events: TeamEvent[] = [];
  errors: StateError[] = [];
  /** Bad lines in all (listed or not). */
  errorCount = 0;
  private readonly tail: JsonlTail;

  constructor(path: string, private readonly file: string, private readonly now: () => number, problem: (message: string | null) => void) {
    this.tail = new JsonlTail(path, {
      line: (text, lineNo) => this.onLine(text, lineNo),
      oversized: (lineNo, _o, bytes) => this.error(lineNo, () => `line is ${bytes} bytes: skipped`),
      reset: () => { this.events = []; this.errors = []; this.errorCount = 0; },
      problem,
    });
  }

  /** Reads what was appended; true when anything changed. */
  poll(): Promise<boolean> {
    return this.tail.poll();
  }

  private error(line: number, message: () => string): void {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push({ file: this.file, line, message: message(), at: this.now() });
  }

  private onLine(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    if (text.trimStart()[0] !== '{') {
      this.error(lineNo, () => 'not a JSON object');
      return;
    }
    let value: unknown;
    if (this.errors.length < MAX_LISTED_ERRORS) {
      const p = parseJson(text);
      if (!p.ok) { this.error(lineNo, () => p.message); return; }
      value = p.value;
    } else {
      try {
        value = JSON.parse(text);
      } catch {
        this.errorCount++;
        return;
      }
      if (nestsDeeperThan(value)) { this.errorCount++; return; }
    }
    const r = eventSchema.safeParse(value);
    if (!r.success) {
      this.error(lineNo, () => describeZodError(r.error));
      return;
    }
    this.events.push(normalizeEvent(r.data, lineNo));
  }
}
