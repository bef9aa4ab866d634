// Alert history by replay: the detectors run again at the moments things happened, each time on
// the team as it was then, so a post-mortem can say when every alert began, which action
// addressed it and when it cleared.
//
// "As it was then" is what the files can tell: the mailbox and events.jsonl are logs (a message
// or event exists from its timestamp on), and parse errors carry the time they were seen; but
// teammates.json, the task files and checkpoints hold only their current contents, so heartbeats,
// context use and task states are the latest values at every moment of the replay — except what
// teamtop's actions changed, seen as it was before them (before-images.ts). For Claude Code
// teams a message's `read` flag is current too (when it was read is not recorded): a message that
// is read now counts as read from the moment it was sent.
//
// The work is bounded: evaluation times closer than MERGE_WINDOW_MS are merged (the latest of a
// burst is kept, so the state after the burst is seen), the window doubles until at most
// MAX_EVALUATIONS remain, and the final evaluation is always `now` on the whole current state.
import type { Message, MailboxAggregates, TeamEvent } from '../model/types.js';
import type { MailboxAccumulator, TeamSnapshot } from '../model/snapshot.js';
import type { Thresholds } from '../model/thresholds.js';
import { safeDetect } from '../alerts/engine.js';
import { withFailureAlerts } from '../alerts/index.js';
import { SEVERITY_RANK, type Alert } from '../alerts/types.js';
import type { ActionRecord } from './actions-log.js';
import { StateAsOf } from './before-images.js';
import { addressedBy } from './addressed.js';

export const MERGE_WINDOW_MS = 1000;
const OMITTED_MARK = /^\+\d+$/;
export const MAX_EVALUATIONS = 2000;
/** Messages kept in the replayed snapshot's `recent` window (what the live sources keep too). */
const RECENT_WINDOW = 1000;

/**
 * One alert from the moment it began to the moment it cleared. The Alert fields mean, for a span:
 * `id` stable across the span (the alert id, or kind + recipient for alerts whose id grows, see
 * spanKey); `severity` the highest it reached; `subject` every id it named while open, in order of
 * first appearance; `summary` and `evidence` at its most severe (the latest such moment).
 */
export interface AlertSpan extends Omit<Alert, 'since'> {
  /** Every detector alert id that made up this span. */
  alertIds: string[];
  /** Epoch ms: the alert's own `since` when known, else the first evaluation it appeared in. */
  began: number;
  /** The first evaluation it was absent from after being present; null while still open at `now`. */
  cleared: number | null;
  /** The first successful action after `began` (and not after `cleared`) aimed at it: see addressedBy. */
  addressed_by: ActionRecord | null;
  /** cleared - began, when cleared. */
  time_to_recover_ms: number | null;
}

export interface ReplayOptions {
  mergeWindowMs?: number;
  maxEvaluations?: number;
}

/**
 * The key an alert is tracked under. Alert ids are kind + subject; for a few kinds the subject
 * grows while the condition lasts (more overdue sequences, more gap ranges, more tasks in the
 * deadlock), which is the same alert getting worse, not a new one.
 */
export function spanKey(a: Pick<Alert, 'id' | 'kind' | 'subject'>): string {
  switch (a.kind) {
    case 'message-unacked':
    case 'lead-implementing':
      return `${a.kind}:${a.subject[0] ?? ''}`;
    case 'sequence-gap':
    case 'network-partition':
    case 'deadlock':
    case 'consolidation-failure':
    case 'team-stalled':
      return a.kind;
    default:
      return a.id;
  }
}

export interface Timed<T> {
  item: T;
  /** Epoch ms; inferred from the line before when the item has none; null when nothing tells. */
  time: number | null;
  /** Position in the source order. */
  index: number;
}

/**
 * Items with their times in time order (stable: equal times keep file order). An item without a
 * timestamp takes the time of the item before it in file order (logs are appended in order), the
 * first ones that of the first timed item; items in a log without any time come last, time null.
 */
export function timedInOrder<T>(items: readonly T[], timeOf: (x: T) => number | null): Array<Timed<T>> {
  const first = items.map(timeOf).find((t) => t !== null) ?? null;
  let prev: number | null = first;
  const out = items.map((item, index) => {
    const own = timeOf(item);
    if (own !== null) prev = own;
    return { item, time: own ?? prev, index };
  });
  return out.sort((a, b) => {
    if (a.time === null || b.time === null) return a.time === b.time ? a.index - b.index : a.time === null ? 1 : -1;
    return a.time - b.time || a.index - b.index;
  });
}

export function timedMessages(team: TeamSnapshot): Array<Timed<Message>> {
  return timedInOrder(team.mailbox.recent, (m) => m.timestamp);
}

export function timedEvents(team: TeamSnapshot): Array<Timed<TeamEvent>> {
  return timedInOrder(team.events, (e) => e.timestamp);
}

/** The times at which the replay evaluates the detectors (ascending, the last is `now`). */
export function evaluationTimes(team: TeamSnapshot, actions: readonly ActionRecord[], thresholds: Thresholds, now: number, opts: ReplayOptions = {}): number[] {
  const window0 = opts.mergeWindowMs ?? MERGE_WINDOW_MS;
  const max = Math.max(1, opts.maxEvaluations ?? MAX_EVALUATIONS);
  const raw: number[] = [];
  const add = (t: number | null | undefined): void => {
    if (t !== null && t !== undefined && Number.isFinite(t) && t < now) raw.push(t);
  };
  const messages = timedMessages(team);
  // The moments things happened...
  for (const m of messages) add(m.time);
  for (const e of timedEvents(team)) add(e.time);
  for (const a of actions) {
    add(a.time);
    // The moment before an action that changed current-state files: the state it found.
    if (a.before) add(a.time - 1);
  }
  for (const e of team.errors) add(e.at);
  // ...and the moments a deadline passed with nothing happening (detectors compare strictly).
  for (const m of messages) {
    if (m.time === null || !m.item.ackRequired) continue;
    add(m.time + team.format.ackTimeoutMs(m.item, thresholds) + 1);
  }
  const beats = [...team.teammates.map((tm) => tm.lastHeartbeat), team.info.lead.lastHeartbeat];
  for (const hb of beats) {
    if (hb === null) continue;
    for (const min of [thresholds.idleMinutes, thresholds.staleMinutes, thresholds.deadMinutes]) add(hb + min * 60_000 + 1);
  }
  if (team.info.lead.lastHeartbeat !== null) add(team.info.lead.lastHeartbeat + thresholds.leadOfflineMinutes * 60_000 + 1);
  raw.sort((a, b) => a - b);

  let window = Math.max(0, window0);
  let kept = cluster(raw, window);
  while (kept.length > max - 1) {
    window = window > 0 ? window * 2 : 1000;
    kept = cluster(raw, window);
  }
  kept.push(now);
  return kept;
}

/** One time per burst: a burst starts at a time and takes everything within `window` after it; its latest time is kept. */
function cluster(sorted: readonly number[], window: number): number[] {
  const out: number[] = [];
  let start = -Infinity;
  for (const t of sorted) {
    if (out.length > 0 && t < start + window) out[out.length - 1] = t;
    else if (out.length > 0 && t === out[out.length - 1]) continue;
    else {
      out.push(t);
      start = t;
    }
  }
  return out;
}

/** Builds the team as it was at successive (ascending) times. */
class Replayer {
  private readonly msgs: Array<Timed<Message>>;
  private readonly events: Array<Timed<TeamEvent>>;
  private mi = 0;
  private ei = 0;
  /** The format's own accounting of answers (acknowledgements, reads). */
  private readonly agg: MailboxAccumulator;
  /** Tasks, teammates and status as teamtop's actions found them. */
  private readonly asOf: StateAsOf;

  constructor(private readonly team: TeamSnapshot, actions: readonly ActionRecord[]) {
    this.msgs = timedMessages(team);
    this.events = timedEvents(team);
    this.agg = team.format.newAggregator();
    this.asOf = new StateAsOf(team, actions);
  }

  /** The snapshot restricted to what existed at t; `all` takes everything (the final evaluation). */
  at(t: number, all: boolean): TeamSnapshot {
    const team = this.team;
    const exists = (time: number | null): boolean => all || (time !== null && time <= t);
    while (this.mi < this.msgs.length && exists(this.msgs[this.mi]!.time)) this.addMessage(this.msgs[this.mi++]!.item);
    while (this.ei < this.events.length && exists(this.events[this.ei]!.time)) this.ei++;
    const recent = this.msgs.slice(Math.max(0, this.mi - RECENT_WINDOW), this.mi).map((x) => x.item);
    const { tasks, teammates, status } = this.asOf.at(t, all);
    return {
      ...team,
      tasks, teammates, info: status === team.info.status ? team.info : { ...team.info, status },
      mailbox: { aggregates: this.aggregates(), recent, recentStart: 0, indexing: false },
      events: this.events.slice(0, this.ei).map((x) => x.item),
      errors: team.errors.filter((e) => all || e.at <= t),
    };
  }

  private addMessage(m: Message): void {
    this.agg.add(m);
  }

  /** Lines that could not be read stay unreadable throughout the history. */
  private aggregates(): MailboxAggregates {
    return { ...this.agg.snapshot(), skipped: this.team.mailbox.aggregates.skipped };
  }
}

interface Open {
  span: AlertSpan;
  rank: number;
  ids: Set<string>;
  subjects: Set<string>;
}

/**
 * Every alert the detectors would have raised over the team's history, in the order they began.
 * `actions` are the team's action records (readActions); `now` ends the replay.
 */
export function alertHistory(team: TeamSnapshot, actions: readonly ActionRecord[], thresholds: Thresholds, now: number, opts: ReplayOptions = {}): AlertSpan[] {
  const times = evaluationTimes(team, actions, thresholds, now, opts);
  const replay = new Replayer(team, actions);
  const open = new Map<string, Open>();
  const lastCleared = new Map<string, number>();
  const done: AlertSpan[] = [];

  times.forEach((t, i) => {
    const snap = replay.at(t, i === times.length - 1);
    const present = new Map<string, Alert>();
    // A detector that failed at that moment shows as an alert naming it, like in the TUI.
    for (const a of withFailureAlerts(safeDetect(snap, t, thresholds))) {
      const key = spanKey(a);
      const prev = present.get(key);
      if (!prev || SEVERITY_RANK[a.severity] < SEVERITY_RANK[prev.severity]) present.set(key, a);
    }
    for (const [key, a] of present) {
      let o = open.get(key);
      if (!o) {
        let began = Math.min(a.since ?? t, t);
        const after = lastCleared.get(key);
        if (after !== undefined && began < after) began = after;
        o = {
          span: {
            id: key, kind: a.kind, severity: a.severity, subject: [], summary: a.summary, evidence: a.evidence, material: a.material,
            workflow: a.workflow, actions: a.actions, alertIds: [], began, cleared: null, addressed_by: null, time_to_recover_ms: null,
          },
          rank: SEVERITY_RANK[a.severity], ids: new Set(), subjects: new Set(),
        };
        open.set(key, o);
      }
      const rank = SEVERITY_RANK[a.severity];
      if (rank <= o.rank) {
        o.rank = rank;
        Object.assign(o.span, { severity: a.severity, summary: a.summary, evidence: a.evidence, workflow: a.workflow, actions: a.actions });
      }
      o.ids.add(a.id);
      // Not the "+N" count of a bounded list (detectors/bounded.ts): it changes with every evaluation.
      for (const s of a.subject) if (!OMITTED_MARK.test(s)) o.subjects.add(s);
    }
    for (const [key, o] of open) {
      if (present.has(key)) continue;
      o.span.cleared = t;
      lastCleared.set(key, t);
      done.push(finish(o));
      open.delete(key);
    }
  });
  for (const o of open.values()) done.push(finish(o));

  done.sort((a, b) => a.began - b.began || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const s of done) {
    s.addressed_by = addressedBy(s, actions);
    s.time_to_recover_ms = s.cleared === null ? null : s.cleared - s.began;
  }
  return done;
}

function finish(o: Open): AlertSpan {
  o.span.alertIds = [...o.ids];
  o.span.subject = [...o.subjects];
  return o.span;
}
