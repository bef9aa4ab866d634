// Planning: (team snapshot, arguments) -> Plan. Pure: no I/O, the clock is passed in. Each
// action checks its arguments against the snapshot and either refuses with a reason or lists the
// effects that will carry it out.
import type { RollbackJournal, Task, TeamSnapshot, Teammate } from '../model/types.js';
import { isUnfinished, latestCheckpoint } from '../model/types.js';
import type { ActionName } from '../alerts/types.js';
import { BROADCAST } from '../model/mailbox-aggregator.js';
import { findCycleComponents } from '../alerts/detectors/dependency-cycle.js';
import { formatAge } from '../model/time.js';
import { idProblem } from '../safety/ids.js';
import type { Effect, Plan } from './types.js';
import { CLAUDE_PLANNERS } from './plan-claude.js';

export const ACTIONS: readonly ActionName[] = ['wake', 'resend', 'break-cycle', 'reassign', 'complete', 'halt', 'resume', 'abort', 'undo-abort'];

/** Actions that change the git repository when the team has one. */
export const REPO_ACTIONS: ReadonlySet<ActionName> = new Set(['reassign', 'abort', 'undo-abort']);

export interface ActionArgs {
  /** The teammate (wake, resend) or task (reassign, complete) acted on; a task of the cycle for break-cycle. */
  target?: string;
  /** reassign: the new owner. */
  to?: string;
  /** break-cycle: the dependency to remove, "FROM:TO" (FROM stops waiting on TO). */
  edge?: string;
  reason?: string;
  /** undo-abort: restore this backup of the team (a full ref) instead of the one the journal names. */
  backup?: string;
}

export interface PlanContext {
  now: number;
  /** The team's git work tree, or null when it has none. */
  repo: string | null;
  /** Who the messages come from. */
  lead: string;
  /** undo-abort: the newest backup ref of this team, looked up before planning. */
  backup?: string | null;
}

/** "20260228T145000Z": a timestamp usable in file names and refs. */
export function stampOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

class Refusal extends Error {}
const refuse = (why: string): never => { throw new Refusal(why); };

function safe(kind: string, id: string): string {
  const p = idProblem(id);
  if (p) refuse(`${kind} id ${JSON.stringify(id)} ${p}: teamtop will not use it in a file name, a message or a git ref`);
  return id;
}

function teammateOf(team: TeamSnapshot, id: string | undefined, what = 'teammate'): Teammate {
  if (!id) refuse(`name the ${what}`);
  const t = team.teammates.find((x) => x.id === id);
  if (!t) refuse(`no teammate ${JSON.stringify(id)} in team ${team.id}`);
  safe('teammate', t!.id);
  return t!;
}

function taskOf(team: TeamSnapshot, id: string | undefined): Task {
  if (!id) refuse('name the task');
  const t = team.tasks.find((x) => x.id === id);
  if (!t) refuse(`no task ${JSON.stringify(id)} in team ${team.id}`);
  safe('task', t!.id);
  return t!;
}

export function planAction(team: TeamSnapshot, action: ActionName, args: ActionArgs, ctx: PlanContext): Plan {
  const base: Plan = { action, team: team.id, args: { ...args }, effects: [], touchesRepo: false, notes: [] };
  try {
    safe('team', team.id);
    const cap = team.capabilities.actions[action];
    if (typeof cap === 'string') refuse(cap);
    // The native planner validates the arguments and says what to do in model terms; a source
    // that cannot express all of it (Claude Code) adapts the effects to its own terms.
    let effects = PLANNERS[action](team, args, ctx, base);
    const adapt = team.source === 'claude' ? CLAUDE_PLANNERS[action] : undefined;
    if (adapt) {
      try {
        effects = adapt(team, args, ctx, base, effects);
      } catch (e) {
        refuse((e as Error).message);
      }
    }
    return { ...base, effects, touchesRepo: effects.some((e) => e.kind.startsWith('git-')) };
  } catch (e) {
    if (e instanceof Refusal) return { ...base, refused: e.message };
    throw e;
  }
}

type Planner = (team: TeamSnapshot, args: ActionArgs, ctx: PlanContext, plan: Plan) => Effect[];

const msg = (to: string | string[], type: string, priority: string, payload: unknown, fields?: Record<string, unknown>): Effect =>
  ({ kind: 'append-message', message: { to, type, priority, payload, ...(fields ? { fields } : {}) } });

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

// ---------- wake ----------
const wake: Planner = (team, args, ctx) => {
  const tm = teammateOf(team, args.target);
  const cp = latestCheckpoint(team, tm.id);
  const silent = tm.lastHeartbeat === null ? null : ctx.now - tm.lastHeartbeat;
  const completion = tm.completionPercent ?? cp?.completionPercent ?? null;
  const deadline = ctx.now + 5 * 60_000;
  const lastAction = cp?.lastAction ?? null;
  const parts = [
    silent === null ? 'Status check: teamtop has no heartbeat from you.' : `Status check: no heartbeat from you for ${formatAge(silent)}.`,
    lastAction ? `Your last recorded action: ${lastAction}.` : null,
    completion !== null ? `You are at ${completion}%${tm.taskCurrent ? ` on "${tm.taskCurrent}"` : ''}.` : tm.taskCurrent ? `Your task: "${tm.taskCurrent}".` : null,
    `Reply with your status by ${clock(deadline)} UTC (5 min), or the task will be reassigned.`,
  ].filter(Boolean);
  return [msg(tm.id, 'wake_up', 'urgent', {
    text: parts.join(' '),
    silent_for_seconds: silent === null ? null : Math.floor(silent / 1000),
    last_action: lastAction,
    completion_percent: completion,
    task: tm.taskCurrent,
    deadline: new Date(deadline).toISOString(),
  }, { required_response: true, timeout: '5min' })];
};

// ---------- resend ----------
export function unackedFor(team: TeamSnapshot, teammate: string): number[] {
  const agg = team.mailbox.aggregates;
  const seqs = new Set<number>((agg.unacked.get(teammate) ?? []).map((p) => p.sequence));
  for (const p of agg.unacked.get(BROADCAST) ?? []) if (p.from !== teammate && !p.ackedBy.includes(teammate)) seqs.add(p.sequence);
  return [...seqs].sort((a, b) => a - b);
}

const resend: Planner = (team, args) => {
  const tm = teammateOf(team, args.target);
  const seqs = unackedFor(team, tm.id);
  if (seqs.length === 0) refuse(`nothing unacknowledged to ${tm.id}`);
  // The originals that are in memory, as many as fit in a line every reader accepts.
  const wanted = new Set(seqs);
  const originals: Array<{ sequence: number; type: string; payload: unknown }> = [];
  let bytes = 0;
  let left = 0;
  for (const m of team.mailbox.recent) {
    if (!wanted.has(m.sequence)) continue;
    const o = { sequence: m.sequence, type: m.type, payload: m.payload };
    const size = JSON.stringify(o).length;
    if (bytes + size > RESEND_ORIGINALS_BYTES) { left++; continue; }
    bytes += size;
    originals.push(o);
  }
  return [msg(tm.id, 'resend_batch', 'high', {
    text: `[RESEND BATCH] ${seqs.length === 1 ? 'Message' : 'Messages'} ${seqRanges(seqs)} ${seqs.length === 1 ? 'was' : 'were'} not acknowledged. Please ACK each.`,
    messages: originals,
    ...(left ? { messages_not_included: left } : {}),
  }, { resending_sequences: seqs, ack_required: true, ack_timeout: '30sec' })];
};

/** How much of the resent messages' text a resend_batch carries (its line stays readable). */
const RESEND_ORIGINALS_BYTES = 256 * 1024;

/** "41-45, 50, 52-60": ascending sequences as ranges, the first 40 ranges and the total after. */
export function seqRanges(seqs: readonly number[]): string {
  const out: string[] = [];
  let ranges = 0;
  for (let i = 0; i < seqs.length; i++) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    if (ranges++ < 40) out.push(j === i ? String(seqs[i]) : j === i + 1 ? `${seqs[i]}, ${seqs[j]}` : `${seqs[i]}-${seqs[j]}`);
    i = j;
  }
  return ranges > 40 ? `${out.join(', ')}, … (${seqs.length} in all)` : out.join(', ');
}

// ---------- break-cycle ----------
export interface CycleChoice {
  chain: string[];
  /** [from, to]: from stops waiting on to. */
  edges: Array<[string, string]>;
  /** Index into edges of the seed's advice: make the task the others wait on independent. */
  suggested: number;
}

/** The cycle through `taskId` (or the first cycle), its edges, and the suggested edge to remove. */
export function cycleChoice(team: TeamSnapshot, taskId?: string): CycleChoice | null {
  const comps = findCycleComponents(team.tasks);
  const comp = taskId ? comps.find((c) => c.members.includes(taskId)) : comps[0];
  if (!comp) return null;
  const chain = comp.chain;
  const edges = chain.map((id, i) => [id, chain[(i + 1) % chain.length]!] as [string, string]);
  // The task the others wait on most: most unfinished dependents, then the earliest sequence,
  // then the earliest created, then chain order.
  const byId = new Map(team.tasks.map((t) => [t.id, t]));
  const waiting = new Map<string, number>();
  for (const t of team.tasks) if (isUnfinished(t)) for (const d of new Set(t.dependsOn)) waiting.set(d, (waiting.get(d) ?? 0) + 1);
  const dependents = (id: string): number => waiting.get(id) ?? 0;
  let best = 0;
  const key = (i: number): [number, number, number, number] => {
    const t = byId.get(chain[i]!)!;
    return [-dependents(t.id), t.sequence ?? Infinity, t.createdAt ?? Infinity, i];
  };
  for (let i = 1; i < chain.length; i++) {
    const a = key(i);
    const b = key(best);
    for (let k = 0; k < 4; k++) {
      if (a[k]! < b[k]!) { best = i; break; }
      if (a[k]! > b[k]!) break;
    }
  }
  return { chain, edges, suggested: best };
}

const breakCycle: Planner = (team, args, ctx, plan) => {
  let from: string | undefined;
  let to: string | undefined;
  if (args.edge) {
    const m = /^([^:]+):([^:]+)$/.exec(args.edge);
    if (!m) refuse(`--edge takes FROM:TO (FROM stops waiting on TO), not ${JSON.stringify(args.edge)}`);
    [from, to] = [m![1]!, m![2]!];
  }
  const choice = cycleChoice(team, from ?? args.target);
  if (!choice) refuse(from ?? args.target ? `no dependency cycle through ${from ?? args.target}` : 'there is no dependency cycle');
  const c = choice!;
  let edgeIndex = c.suggested;
  if (from) {
    edgeIndex = c.edges.findIndex(([f, t]) => f === from && t === to);
    if (edgeIndex < 0) refuse(`${from} → ${to} is not an edge of the cycle ${[...c.chain, c.chain[0]].join(' → ')}; edges: ${c.edges.map(([f, t]) => `${f}:${t}`).join(', ')}`);
  }
  const [free, dep] = c.edges[edgeIndex]!;
  for (const id of c.chain) safe('task', id);
  plan.args.edge = `${free}:${dep}`;
  plan.notes.push(`cycle: ${[...c.chain, c.chain[0]].join(' → ')}`, `${free} stops waiting on ${dep}${edgeIndex === c.suggested ? ' (suggested: the task the others wait on becomes independent)' : ''}`);
  // After the removal the cycle is a chain: `free` first, then whoever waited on it, and so on.
  const n = c.chain.length;
  const start = c.chain.indexOf(free);
  const order = Array.from({ length: n }, (_, k) => c.chain[(start - k + n) % n]!);
  const byId = new Map(team.tasks.map((t) => [t.id, t]));
  const seqs = order.map((id) => byId.get(id)!.sequence).filter((s): s is number => s !== null);
  const first = seqs.length ? seqs.reduce((a, b) => (b < a ? b : a)) : 1;
  const effects: Effect[] = [];
  const freeTask = byId.get(free)!;
  const otherDeps = freeTask.dependsOn.filter((d) => d !== dep && (byId.get(d) ? isUnfinished(byId.get(d)!) : true));
  effects.push({
    kind: 'update-task', taskId: free, removeDependency: dep,
    set: { sequence: first, ...(freeTask.status === 'blocked' && otherDeps.length === 0 ? { status: 'pending' } : {}) },
  });
  order.slice(1).forEach((id, k) => effects.push({ kind: 'update-task', taskId: id, set: { sequence: first + k + 1 } }));
  const owners = [...new Set(order.map((id) => byId.get(id)!.owner).filter((o): o is string => !!o && idProblem(o) === null))];
  const taskOrder = order.map((id, k) => ({ sequence: first + k, task: id, assigned_to: byId.get(id)!.owner }));
  if (owners.length) {
    effects.push(msg(owners, 'team_reordered', 'high', {
      text: `Dependency cycle broken: ${free} no longer waits on ${dep}. New order: ${order.join(' → ')}. ${byId.get(free)!.owner ?? free}: start ${free} now; the others wait for the task before theirs.`,
      task_order: taskOrder,
      removed_dependency: { task: free, no_longer_waits_on: dep },
    }));
  }
  void ctx;
  return effects;
};

// ---------- reassign ----------
const reassign: Planner = (team, args, ctx, plan) => {
  const task = taskOf(team, args.target);
  const to = teammateOf(team, args.to, 'new owner (--to)');
  const old = task.owner;
  if (old === to.id) refuse(`${task.id} is already owned by ${to.id}`);
  if (old) safe('teammate', old);
  const oldTm = old ? team.teammates.find((t) => t.id === old) ?? null : null;
  const stamp = stampOf(ctx.now);
  const cp = old ? latestCheckpoint(team, old) : null;
  const completion = oldTm?.completionPercent ?? task.completionPercent ?? cp?.completionPercent ?? null;
  const effects: Effect[] = [];
  const oldId = old ?? 'unassigned';
  if (old) {
    effects.push({
      kind: 'write-checkpoint', teammateId: old, stamp, checkpoint: {
        checkpoint_id: `ckpt-${old}-${stamp}`, teammate_id: old, timestamp: new Date(ctx.now).toISOString(),
        task_id: task.id, task_name: task.name, completion_percent: completion,
        last_action: cp?.lastAction ?? null, next_step: cp?.nextStep ?? null, files_modified: cp?.filesModified ?? [],
        notes: `Written by teamtop before reassigning ${task.id} from ${old} to ${to.id}.${cp?.notes ? ` Previous notes: ${cp.notes}` : ''}`,
        context_at_checkpoint: oldTm?.contextUsed != null ? { tokens_used: oldTm.contextUsed, tokens_max: oldTm.contextMax } : null,
      },
    });
  }
  if (ctx.repo) {
    effects.push({ kind: 'git-commit-wip', repo: ctx.repo, message: `Checkpoint: ${oldId} at ${completion ?? '?'}% on ${task.id} before reassignment to ${to.id}` });
    effects.push({ kind: 'git-tag', repo: ctx.repo, name: `checkpoint-${oldId}-${stamp}`, message: `teamtop: ${task.id} reassigned from ${oldId} to ${to.id}` });
  } else {
    plan.notes.push('the team has no git repository: no checkpoint commit or tag');
  }
  const brief = `reassign-${oldId}-${stamp}.json`;
  const nextSteps = [
    ...(cp?.nextStep ? [cp.nextStep] : []),
    ...(ctx.repo ? [`Review the checkpoint commit (tag checkpoint-${oldId}-${stamp})`] : []),
    `Read ${brief} and the latest checkpoint of ${oldId}`,
    'Message the lead when the task is done',
  ];
  effects.push({
    kind: 'write-record', file: brief, commitInto: ctx.repo ? 'checkpoint_commit' : undefined, data: {
      reassignment_id: `reassign-${oldId}-${stamp}`,
      original_task: { id: task.id, name: task.name, status: task.status },
      completion_percent: completion,
      original_teammate: old, new_teammate: to.id,
      checkpoint_commit: null,
      previous_work_summary: cp?.notes ?? cp?.lastAction ?? null,
      files_modified: cp?.filesModified ?? [],
      next_steps: nextSteps,
      reason: args.reason ?? null,
      created_at: new Date(ctx.now).toISOString(),
    },
  });
  effects.push({ kind: 'update-task', taskId: task.id, set: { owner: to.id } });
  if (old && oldTm) effects.push({ kind: 'set-teammate-status', teammateId: old, status: 'reassigned' });
  effects.push({
    kind: 'append-message', message: {
      to: to.id, type: 'reassignment', priority: 'critical',
      payload: {
        text: `Reassignment: ${task.id}${task.name ? ` "${task.name}"` : ''} is yours${old ? `, taken over from ${old}` : ''}${completion !== null ? ` at ${completion}%` : ''}. The brief is ${brief}. Reply when you have picked it up.`,
        task_id: task.id, brief, from_teammate: old, checkpoint_commit: null,
      },
      fields: { required_response: true, timeout: '25min', attachment: brief },
      commitInto: ctx.repo ? 'checkpoint_commit' : undefined,
    },
  });
  return effects;
};

// ---------- complete ----------
const complete: Planner = (team, args, ctx) => {
  const task = taskOf(team, args.target);
  if (!args.reason?.trim()) refuse('give a reason (--reason TEXT): a lead override is recorded with why');
  if (task.status === 'completed') refuse(`${task.id} is already completed`);
  if (task.status === 'deleted') refuse(`${task.id} is deleted`);
  const dependents = team.tasks.filter((t) => isUnfinished(t) && t.dependsOn.includes(task.id));
  const notify = [...new Set([task.owner, ...dependents.map((d) => d.owner)].filter((o): o is string => !!o && idProblem(o) === null))];
  const effects: Effect[] = [{
    kind: 'update-task', taskId: task.id,
    set: { status: 'completed', completed_at: new Date(ctx.now).toISOString(), completed_by: ctx.lead, completion_reason: args.reason!.trim() },
  }];
  if (notify.length) {
    effects.push(msg(notify, 'message', 'high', {
      text: `Lead override: ${task.id} is marked completed (${args.reason!.trim()}).${dependents.length ? ` ${dependents.map((d) => d.id).join(', ')} can proceed.` : ''}`,
      task_id: task.id, unblocked: dependents.map((d) => d.id),
    }));
  }
  return effects;
};

// ---------- halt / resume ----------
const halt: Planner = (team, args, ctx) => {
  if (team.info.status === 'halted') refuse(`${team.id} is already halted`);
  if (team.info.status === 'aborted') refuse(`${team.id} is aborted`);
  return [
    { kind: 'set-team-status', status: 'halted' },
    msg('all', 'team_halted', 'critical', { text: `Team halted by the lead${args.reason ? `: ${args.reason}` : ''}. Checkpoint your work and wait for recovery.`, reason: args.reason ?? null }),
  ];
};

const resume: Planner = (team, args) => {
  if (team.info.status !== 'halted') refuse(`${team.id} is not halted (status: ${team.info.status ?? 'unknown'})`);
  return [
    { kind: 'set-team-status', status: 'active' },
    msg('all', 'team_resumed', 'high', { text: `Team resumed by the lead${args.reason ? `: ${args.reason}` : ''}. Continue from your checkpoints.`, reason: args.reason ?? null }),
  ];
};

// ---------- abort / undo-abort ----------
const STAMP = /^\d{8}T\d{6}Z$/;

/** Whether `ref` names one of this team's backups exactly (`web` never takes `web-ui`'s). */
export function isBackupOf(ref: string, teamId: string): boolean {
  const prefix = `refs/teamtop/backup/${teamId}-`;
  return ref.startsWith(prefix) && STAMP.test(ref.slice(prefix.length));
}

/** "2 of 7 steps" and the error, for notes about an interrupted rollback. */
function progressOf(j: RollbackJournal): string {
  return `started ${j.started_at}, ${j.done} of ${j.steps.length} steps done${j.error ? `, stopped by: ${j.error}` : ''}`;
}

const abort: Planner = (team, args, ctx, plan) => {
  const j = team.rollback;
  const interrupted = j?.state === 'in-progress' ? j : null;
  if (interrupted?.op === 'undo-abort') {
    refuse(`an undo-abort of ${team.id} was interrupted (${progressOf(interrupted)}): run undo-abort again to complete it first`);
  }
  const aborted = team.info.status !== null ? team.info.status === 'aborted' : j?.op === 'abort' && j.state === 'done';
  if (aborted && !interrupted) refuse(`${team.id} is already aborted`);
  const stamp = stampOf(ctx.now);
  const completed = team.tasks.filter((t) => t.status === 'completed').map((t) => t.id);
  const lost = team.tasks.filter(isUnfinished).map((t) => ({ id: t.id, status: t.status, owner: t.owner, completion_percent: t.completionPercent }));
  const total = completed.length + lost.length;
  const effects: Effect[] = [];
  const backupRef = `refs/teamtop/backup/${team.id}-${stamp}`;
  const tag = `abort-${team.id}-${stamp}`;
  if (interrupted) {
    const first = interrupted.backup_ref && isBackupOf(interrupted.backup_ref, team.id) ? interrupted.backup_ref : null;
    plan.carries = { started_at: interrupted.started_at, backup_ref: first };
    plan.notes.push(`an earlier abort of ${team.id} was interrupted (${progressOf(interrupted)}): this completes it${first ? `; undo-abort restores the state from before that first attempt (${first})` : ''}`);
  }
  if (ctx.repo) {
    if (!team.info.baseRef) refuse(`no base_ref: set what an abort rolls back to (${team.source === 'claude' ? '--base-ref' : 'team.json "base_ref"'}, e.g. "main")`);
    effects.push({ kind: 'git-backup', repo: ctx.repo, ref: backupRef, message: `teamtop: backup of ${team.id} before abort`, team: team.id, rollbackTo: [team.info.baseRef!] });
    effects.push({ kind: 'git-tag', repo: ctx.repo, name: tag, message: `teamtop: ${team.id} aborted${args.reason ? `: ${args.reason}` : ''}` });
  } else {
    plan.notes.push('the team has no git repository: nothing to roll back');
  }
  const savedIn = plan.carries?.backup_ref ?? backupRef;
  effects.push({
    kind: 'write-record', file: `abort-${stamp}.json`, data: {
      decision_id: `abort-${team.id}-${stamp}`, timestamp: new Date(ctx.now).toISOString(), reason: args.reason ?? null,
      completed_work: total ? Math.round((completed.length / total) * 100) : null,
      lost_work: total ? Math.round((lost.length / total) * 100) : null,
      completed_tasks: completed, lost_tasks: lost,
      backup_ref: ctx.repo ? savedIn : null, tag: ctx.repo ? tag : null, base_ref: team.info.baseRef,
      archive: `${team.id}.ABORTED-${stamp}`,
      ...(plan.carries ? { completes_abort_started: plan.carries.started_at } : {}),
    },
  });
  effects.push({ kind: 'copy-dir', to: `${team.id}.ABORTED-${stamp}` });
  if (ctx.repo) effects.push({ kind: 'git-reset', repo: ctx.repo, target: team.info.baseRef!, backupRef });
  effects.push({ kind: 'set-team-status', status: 'aborted' });
  effects.push(msg('all', 'team_aborted', 'critical', {
    text: `Team aborted${args.reason ? `: ${args.reason}` : ''}. ${ctx.repo ? `The work tree was rolled back to ${team.info.baseRef}; everything is saved under ${savedIn} (tag ${tag}).` : ''} Stop work; a post-mortem follows.`,
    checkpoint_tag: ctx.repo ? tag : null, backup_ref: ctx.repo ? savedIn : null,
  }));
  return effects;
};

const undoAbort: Planner = (team, args, ctx, plan) => {
  if (!ctx.repo) refuse('the team has no git repository: there is no backup to restore');
  const j = team.rollback;
  const interrupted = j?.state === 'in-progress' ? j : null;
  // A team's own status decides where the format has one; otherwise teamtop's journal does.
  const aborted = team.info.status !== null ? team.info.status === 'aborted' : j?.op === 'abort';
  if (!interrupted && !aborted) {
    refuse(`${team.id} is not aborted (status: ${team.info.status ?? 'no abort recorded'}): undo-abort only restores the backup of an aborted team`);
  }
  let restore: string | null = null;
  let why = '';
  if (args.backup) {
    if (!isBackupOf(args.backup, team.id)) refuse(`${args.backup} is not a backup of ${team.id} (refs/teamtop/backup/${team.id}-<YYYYMMDDTHHMMSSZ>)`);
    restore = args.backup;
    why = 'the backup asked for';
  } else if (interrupted?.op === 'undo-abort') {
    restore = interrupted.restore_ref;
    plan.carries = { started_at: interrupted.started_at, backup_ref: interrupted.backup_ref && isBackupOf(interrupted.backup_ref, team.id) ? interrupted.backup_ref : null };
    plan.notes.push(`an earlier undo-abort of ${team.id} was interrupted (${progressOf(interrupted)}): this completes it`);
    why = 'the backup the interrupted undo-abort was restoring';
  } else if (j?.op === 'abort' && j.backup_ref) {
    restore = j.backup_ref;
    if (interrupted) plan.notes.push(`the abort of ${team.id} was interrupted (${progressOf(interrupted)}): this restores the state from before it`);
    why = 'the state from before the abort';
  } else {
    restore = ctx.backup ?? null;
    why = 'the newest backup of this team';
  }
  if (!restore || !isBackupOf(restore, team.id)) refuse(`no backup of ${team.id} under refs/teamtop/backup/ to restore`);
  const preRef = `refs/teamtop/backup/${team.id}-${stampOf(ctx.now)}`;
  if (preRef === restore || preRef === plan.carries?.backup_ref) refuse('a backup of this team was made this very second: try again in a moment');
  plan.notes.push(`restores ${restore} (${why}); the work tree as it is now is saved first under ${preRef}, so this can be undone too`);
  return [
    { kind: 'git-backup', repo: ctx.repo!, ref: preRef, message: `teamtop: backup of ${team.id} before undo-abort`, team: team.id, rollbackTo: [restore!] },
    { kind: 'git-restore', repo: ctx.repo!, ref: restore!, backupRef: preRef },
    { kind: 'set-team-status', status: 'active' },
    msg('all', 'team_resumed', 'high', { text: 'The abort was undone: the work tree is back as it was before it. Continue from your checkpoints.' }),
  ];
};

const PLANNERS: Record<ActionName, Planner> = {
  wake, resend, 'break-cycle': breakCycle, reassign, complete, halt, resume, abort, 'undo-abort': undoAbort,
};
