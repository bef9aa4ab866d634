// An `omc team` team's files as one TeamSnapshot. Workers become teammates (the leader,
// `leader-fixed`, is the lead); their heartbeat's last_turn_at is the heartbeat, and a worker is
// dead on proof only: `operational_state: dead`, a heartbeat that says `alive: false`, or a pid that
// is not running. Tasks keep both dependency fields; a claim's lease is kept so an in-progress task
// whose lease ran out is seen as stuck. Every mailbox merges into one, oldest first: a message
// waits for its delivery (`delivered_at`), `notified_at` alone is "notified".
import type { Liveness, MailboxView, Message, StateError, Task, TaskStatus, TeamEvent, TeamStatus, Teammate } from '../../model/types.js';
import type { TeamSnapshot } from '../../model/snapshot.js';
import type { RollbackJournal } from '../../ports/effects.js';
import { ReadAggregator } from '../answer-aggregator.js';
import { parseIsoTime, toMs } from '../../model/time.js';
import { paneLiveness, type PaneProbe } from '../../tmux/panes.js';
import { OMC_FORMAT } from './format.js';
import { OMC_LEADER } from './names.js';
import type { OmcConfig, OmcHeartbeat, OmcMessage, OmcStatus, OmcTask } from './schemas.js';

/** The parts of a team's files, as read. */
export interface OmcParts {
  config: OmcConfig | null;
  heartbeats: Map<string, OmcHeartbeat>;
  statuses: Map<string, OmcStatus>;
  tasks: OmcTask[];
  /** Every mailbox file's messages, by the file's worker. */
  mailboxes: Map<string, OmcMessage[]>;
  events: TeamEvent[];
}


/** What a pid is, as far as this machine can tell. */
export type PidProbe = (pid: number) => 'alive' | 'dead' | 'unknown';

export interface OmcSnapshotInput {
  id: string;
  dir: string;
  project: string;
  recordsDir: string;
  version: number;
  now: () => number;
  parts: OmcParts;
  errors: StateError[];
  acks: Map<string, string>;
  rollback: RollbackJournal | null;
  probe?: PidProbe;
  /** What tmux said of the workers' panes, when it was asked. */
  panes?: PaneProbe | null;
  repo: { repo: string | null; baseRef: string | null };
}

/** How far in the future a heartbeat may be (clocks differ a little) before it is not believed. */
const FUTURE_SLACK_MS = 5 * 60_000;

/** Why a heartbeat's `last_turn_at` cannot be used, or null. */
export function heartbeatProblem(at: string | null | undefined, now: number): string | null {
  if (at === null || at === undefined) return null;
  const t = parseIsoTime(at);
  if (Number.isNaN(t)) return `last_turn_at ${JSON.stringify(at.slice(0, 40))} is not a time: the worker ages from the team's start`;
  if (t > now + FUTURE_SLACK_MS) return `last_turn_at ${at.slice(0, 40)} is in the future (the writer's clock?): the worker ages from the team's start`;
  return null;
}

const TASK_STATUS: Record<OmcTask['status'], TaskStatus> = {
  pending: 'pending', blocked: 'blocked', in_progress: 'in_progress', completed: 'completed',
  // A failed task is unfinished work its dependents still wait on; the format's word is kept.
  failed: 'on_hold',
};

const TEAM_STATUS: Record<string, TeamStatus> = { starting: 'forming', active: 'active', shutting_down: 'halted', stopped: 'complete' };

/** How long omc's claim lease lasts (state/tasks.js): the claim was made this long before it ends. */
const LEASE_MS = 15 * 60_000;

function toTask(t: OmcTask): Task {
  const deps = [...new Set([...(t.blocked_by ?? []), ...(t.depends_on ?? [])])];
  const leaseUntil = toMs(t.claim?.leased_until);
  const { id: _id, subject, description, status, owner, blocked_by: _b, depends_on: _d, created_at, completed_at, ...rest } = t;
  return {
    id: t.id, name: subject ?? null, owner: owner ?? null, status: TASK_STATUS[status], dependsOn: deps, blocks: [],
    sequence: null, createdAt: toMs(created_at), startedAt: leaseUntil === null ? null : leaseUntil - LEASE_MS, updatedAt: null,
    completedAt: toMs(completed_at), expectedDurationMinutes: null, completionPercent: null,
    blockingFactor: t.error ?? null, deliverables: null, description: description ?? null,
    extra: { ...rest, ...(status === 'failed' ? { status_in_format: 'failed' } : {}) },
    leaseUntil: status === 'in_progress' ? leaseUntil : null,
  };
}

/** Every mailbox merged, oldest first; a message's sequence is its place in that order. */
export function mergeOmcMailbox(boxes: ReadonlyMap<string, OmcMessage[]>): MailboxView {
  const all: Array<{ m: OmcMessage; box: string; i: number; ts: number | null }> = [];
  for (const [box, list] of boxes) list.forEach((m, i) => all.push({ m, box, i, ts: toMs(m.created_at) }));
  all.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || (a.box < b.box ? -1 : a.box > b.box ? 1 : 0) || a.i - b.i);
  const acc = new ReadAggregator();
  const recent: Message[] = all.map(({ m, box, ts }, k) => {
    const { message_id, from_worker, to_worker, body, created_at: _c, notified_at, delivered_at, ...rest } = m;
    const msg: Message = {
      sequence: k + 1, timestamp: ts, from: from_worker ?? null, to: [to_worker ?? box], type: 'message', priority: null,
      payload: body ?? '', ackSequences: [], ackRequired: true, timeoutMs: null, resendingSequences: [], line: k + 1, protocol: null,
      extra: { ...rest, message_id, read: delivered_at != null, ...(delivered_at ? { delivered_at } : {}), ...(notified_at ? { notified_at } : {}), mailbox: box },
    };
    acc.add(msg);
    return msg;
  });
  return { aggregates: acc.snapshot(), recent, recentStart: 0, indexing: false };
}

/**
 * Dead on proof only, strongest first: omc's own `operational_state`, the heartbeat's `alive`, the
 * worker's tmux pane (gone or exited), its pid. No proof either way leaves it to the heartbeat age.
 */
function livenessOf(operational: string | null | undefined, alive: boolean | null | undefined, pane: Liveness | null, pid: number | null, probe?: PidProbe): Liveness | undefined {
  if (operational === 'dead') return { state: 'dead', signal: 'operational_state: dead' };
  if (alive === false) return { state: 'dead', signal: 'heartbeat says alive: false' };
  if (pane && pane.state !== 'unknown') return pane;
  if (pid !== null && pid > 1 && probe) {
    const p = probe(pid);
    if (p === 'dead') return { state: 'dead', signal: `pid ${pid} is not running` };
    if (p === 'alive') return { state: 'alive', signal: `pid ${pid} running` };
  }
  return undefined;
}

const TASKS = new WeakMap<object, Task[]>();
const MAILBOXES = new WeakMap<object, MailboxView>();
function memo<T>(cache: WeakMap<object, T>, key: object, make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) cache.set(key, (v = make()));
  return v;
}

export function buildOmcSnapshot(x: OmcSnapshotInput): TeamSnapshot {
  const { config, heartbeats, statuses, tasks: rawTasks, mailboxes, events } = x.parts;
  // The same parts give the same objects: a heartbeat does not re-merge the mailboxes, and the
  // detectors that read only tasks or the mailbox are not run again (src/alerts DetectorCache).
  const tasks = memo(TASKS, rawTasks, () => rawTasks.map(toTask));
  const mailbox = memo(MAILBOXES, mailboxes, () => mergeOmcMailbox(mailboxes));
  const createdAt = toMs(config?.created_at);
  const undelivered = new Map<string, number>();
  for (const [k, list] of mailbox.aggregates.unacked) undelivered.set(k, list.length);
  const teammates: Teammate[] = (config?.workers ?? []).map((w) => {
    const hb = heartbeats.get(w.name);
    const st = statuses.get(w.name);
    const current = tasks.find((t) => t.owner === w.name && t.status === 'in_progress');
    const pane = x.panes && w.pane_id ? paneLiveness({ tmuxPaneId: w.pane_id, backendType: 'tmux' }, x.panes) : null;
    const liveness = livenessOf(w.operational_state, hb?.alive, pane, hb?.pid ?? w.pid ?? null, x.probe);
    const { name, role, worker_cli, pane_id, operational_state, ...rest } = w;
    return {
      id: name, name: null, role: role ?? worker_cli ?? null, status: st?.state ?? operational_state ?? null,
      // A worker with no usable heartbeat ages from the team's start (a worker that never
      // reported is not healthy forever).
      ...(hb?.last_turn_at && !heartbeatProblem(hb.last_turn_at, x.now())
        ? { lastHeartbeat: toMs(hb.last_turn_at), activitySignal: 'heartbeat' as const }
        : { lastHeartbeat: createdAt, activitySignal: createdAt === null ? null : 'joined' as const }),
      contextUsed: null, contextMax: null,
      taskCurrent: current?.name ?? st?.current_task_id ?? current?.id ?? null, taskStartedAt: current?.startedAt ?? null,
      completionPercent: null, messagesPending: undelivered.get(name) ?? 0, pendingHistory: [], lastMessageSeq: null,
      extra: { ...rest, ...(worker_cli ? { worker_cli } : {}), ...(operational_state ? { operational_state } : {}), ...(hb ? { heartbeat: hb } : {}) },
      ...(liveness ? { liveness } : {}),
      ...(pane_id && /^%\d+$/.test(pane_id) ? { pane: pane_id } : {}),
    };
  });
  // events.jsonl is kept in time order as it is read (events.ts).
  const timeline: TeamEvent[] = events;
  return {
    id: x.id, source: 'omc', format: OMC_FORMAT, capabilities: OMC_FORMAT.capabilities, dir: x.dir,
    info: {
      status: config?.lifecycle_state ? TEAM_STATUS[config.lifecycle_state] ?? null : null, createdAt,
      lead: { id: OMC_LEADER, lastHeartbeat: null, status: null, activitySignal: null },
      leadSessionId: null, repo: x.repo.repo, baseRef: x.repo.baseRef,
      extra: config ? { task: config.task, tmux_session: config.tmux_session, leader_pane_id: config.leader_pane_id } : {},
    },
    teammates, tasks, mailbox, events: timeline, checkpoints: new Map(), errors: x.errors,
    acks: x.acks, rollback: x.rollback, version: x.version,
    origin: { cwd: config?.leader_cwd ?? x.project, startedAt: createdAt },
    recordsDir: x.recordsDir,
    files: { project: x.project },
  };
}
