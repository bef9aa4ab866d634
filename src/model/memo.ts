// Memory for the live detectors, so that a change costs what it changed. Rewriting a file makes a
// new object for every item in it, and the clock re-asks every second, but most items say what
// they said: what was made from a value is kept with the value, and made again only when the value
// differs. Nothing here changes a result, only how often it is computed. forgetAll() drops it all
// (the bench's "from scratch").

const everything: Array<{ clear(): void }> = [];

/** Registers a memory for forgetAll(). */
export function remember<M extends { clear(): void }>(memo: M): M {
  everything.push(memo);
  return memo;
}

/** Forgets everything every memory holds. */
export function forgetAll(): void {
  for (const m of everything) m.clear();
}

/** Teams remembered at most (a root of many teams): past it, everything is forgotten at once. */
const MAX_TEAMS = 1_000;

export interface ItemRun<E> {
  /** What the previous run over this team kept for `id`. */
  get(id: string): E | undefined;
  /** Keeps `entry` for the next run (made now or reused). */
  keep(id: string, entry: E): void;
  /** Ends the run: what it did not keep is forgotten. */
  done(): void;
}

/** Entries per team and item id, from one run to the next: the caller checks an entry still holds. */
export class PerItem<E> {
  private teams = new Map<string, Map<string, E>>();

  constructor() {
    remember(this);
  }

  run(team: string): ItemRun<E> {
    const prev = this.teams.get(team);
    const next = new Map<string, E>();
    return {
      get: (id) => prev?.get(id),
      keep: (id, entry) => { next.set(id, entry); },
      done: () => {
        if (!prev && this.teams.size >= MAX_TEAMS) this.teams.clear();
        this.teams.set(team, next);
      },
    };
  }

  clear(): void {
    this.teams.clear();
  }
}

/**
 * What was computed from the last few lists (about one per team). `reuse` says what a remembered
 * result is worth for a new list: the result for it (the same one, or one adapted from it), or
 * undefined when the two are not comparable; then it is computed. Bounded: the least recently
 * used goes.
 */
export class RecentLists<T, R> {
  private recent: Array<{ list: readonly T[]; result: R }> = [];

  constructor(private readonly reuse: (prev: readonly T[], next: readonly T[], result: R) => R | undefined, private readonly size = 8) {
    remember(this);
  }

  get(list: readonly T[], compute: (list: readonly T[]) => R): R {
    for (let i = 0; i < this.recent.length; i++) {
      const r = this.recent[i]!;
      const result = r.list === list ? r.result : this.reuse(r.list, list, r.result);
      if (result === undefined) continue;
      // The newest list stands for its kind from now on (the older one can be collected), and
      // the last used goes first: with more teams than entries, the busy ones stay.
      r.list = list;
      r.result = result;
      if (i > 0) this.recent.unshift(...this.recent.splice(i, 1));
      return result;
    }
    const result = compute(list);
    this.recent.unshift({ list, result });
    if (this.recent.length > this.size) this.recent.pop();
    return result;
  }

  clear(): void {
    this.recent.length = 0;
  }
}

/** A `reuse` for RecentLists: the remembered result as it is, for a list `same` says is equivalent. */
export const whenSame = <T, R>(same: (a: readonly T[], b: readonly T[]) => boolean) =>
  (prev: readonly T[], next: readonly T[], result: R): R | undefined => (same(prev, next) ? result : undefined);
