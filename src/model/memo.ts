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
 * What was computed from the last few lists (about one per team): a list that `same` says is
 * equivalent to one of them (for what the computation reads) gets its result. Bounded: the least
 * recently used goes.
 */
export class RecentLists<T, R> {
  private recent: Array<{ list: readonly T[]; result: R }> = [];

  constructor(private readonly same: (a: readonly T[], b: readonly T[]) => boolean, private readonly size = 8) {
    remember(this);
  }

  get(list: readonly T[], compute: (list: readonly T[]) => R): R {
    for (let i = 0; i < this.recent.length; i++) {
      const r = this.recent[i]!;
      if (r.list !== list && !this.same(r.list, list)) continue;
      // The newest list stands for its kind from now on (the older one can be collected), and
      // the last used goes first: with more teams than entries, the busy ones stay.
      r.list = list;
      if (i > 0) this.recent.unshift(...this.recent.splice(i, 1));
      return r.result;
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
