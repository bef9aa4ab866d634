// Lists of sequences in alerts, bounded: an alert about a backlog of 10^5 messages names the first
// and the last LISTED_EACH_END of them and counts the rest, so its id, subject, evidence and the
// `check --json` line stay small (a hook reads them; acknowledgements store the id). Lists up to
// 2 × LISTED_EACH_END are named in full, exactly as before.

export const LISTED_EACH_END = 100;

export interface Bounded {
  /** Every item when there are few; else the first and the last LISTED_EACH_END. */
  head: number[];
  /** Empty when nothing was left out. */
  tail: number[];
  /** How many were left out between head and tail (0: the list is whole). */
  omitted: number;
}

export function bounded(xs: readonly number[]): Bounded {
  if (xs.length <= 2 * LISTED_EACH_END) return { head: xs.slice(), tail: [], omitted: 0 };
  return { head: xs.slice(0, LISTED_EACH_END), tail: xs.slice(xs.length - LISTED_EACH_END), omitted: xs.length - 2 * LISTED_EACH_END };
}

/** The listed items, head then tail (a new array, built without spreading into a call). */
export function listed(b: Bounded): number[] {
  const out = b.head.slice();
  for (const x of b.tail) out.push(x);
  return out;
}

/** As subject ids: head, a "+N" marker for the ones left out, tail. */
export function subjectIds(b: Bounded): string[] {
  const out = b.head.map(String);
  if (b.omitted > 0) {
    out.push(`+${b.omitted}`);
    for (const x of b.tail) out.push(String(x));
  }
  return out;
}
