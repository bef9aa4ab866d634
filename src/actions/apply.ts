// Applying a plan: every file the plan writes is checked first (a plan that would write through a
// symbolic link, into a FIFO or outside its root is refused before anything is written), then the
// effects run in order, stopping at the first failure, then one record in actions.jsonl says what
// was asked, what was planned, what happened and the error if any. Every whole-file write is
// atomic, so a failure leaves each file either old or new. A rollback (abort, undo-abort) keeps a
// journal from before its first effect, so a kill half way is noticed and can be completed or
// undone.
import type { ApplyContext, ApplyResult, Effect, EffectResult, Plan, RollbackJournal, Writer } from '../ports/effects.js';

/**
 * Checks everything the plan would write (its records, its journal, each effect's files and, for
 * git effects, the repository) without writing anything: the reason it must be refused, or null.
 */
export async function preflight(plan: Plan, writer: Writer): Promise<string | null> {
  if (plan.refused) return plan.refused;
  try {
    await writer.checkRecord(isRollback(plan));
    for (let i = 0; i < plan.effects.length; i++) await writer.check(plan.effects[i]!, plan.effects.slice(0, i));
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export async function applyPlan(plan: Plan, writer: Writer, now: () => number = Date.now): Promise<ApplyResult> {
  const refused = await preflight(plan, writer);
  if (refused !== null && !plan.refused) plan = { ...plan, refused };
  if (plan.refused) {
    const r: ApplyResult = { ok: false, results: [], error: plan.refused, refused: true };
    return recorded(writer, plan, r, now);
  }
  const results: EffectResult[] = [];
  const ctx: ApplyContext = {};
  let error: string | undefined;
  let journal = isRollback(plan) ? startJournal(plan, now) : null;
  try {
    if (journal) await writer.writeRollback(journal);
    for (let i = 0; i < plan.effects.length;) {
      const e = plan.effects[i]!;
      const tasks = writer.applyTaskUpdates ? taskRun(plan.effects, i) : [];
      try {
        if (tasks.length > 1) results.push(...(await writer.applyTaskUpdates!(tasks)));
        else results.push(await writer.apply(e, ctx));
      } catch (err) {
        error = `${e.kind}: ${(err as Error).message}`;
        break;
      }
      i += Math.max(1, tasks.length);
      if (journal) {
        // A backup is named in the journal only once it exists.
        const made = e.kind === 'git-backup' ? e.ref : null;
        journal = {
          ...journal, done: i, updated_at: iso(now),
          ...(made ? { backup_ref: journal.backup_ref ?? made, backups: [...new Set([...journal.backups, made])] } : {}),
        };
        await writer.writeRollback(journal);
      }
      // Test-only fault injection (the interrupted-rollback tests): a real SIGKILL after a step.
      if (process.env.TEAMTOP_FAULT === `kill-after:${e.kind}`) process.kill(process.pid, 'SIGKILL');
    }
    if (journal) {
      journal = error === undefined ? { ...journal, state: 'done', updated_at: iso(now) } : { ...journal, error, updated_at: iso(now) };
      await writer.writeRollback(journal);
    }
  } catch (err) {
    // The journal itself could not be written.
    error ??= `rollback journal: ${(err as Error).message}`;
  }
  return recorded(writer, plan, { ok: error === undefined, results, ...(error ? { error } : {}) }, now);
}

const iso = (now: () => number): string => new Date(now()).toISOString();

/** The update-task effects that run from index `i` on (empty when effects[i] is something else). */
function taskRun(effects: Effect[], i: number): Array<Extract<Effect, { kind: 'update-task' }>> {
  const run: Array<Extract<Effect, { kind: 'update-task' }>> = [];
  for (let k = i; k < effects.length; k++) {
    const e = effects[k]!;
    if (e.kind !== 'update-task') break;
    run.push(e);
  }
  return run;
}

function isRollback(plan: Plan): boolean {
  return plan.effects.some((e) => e.kind === 'git-reset' || e.kind === 'git-restore') || plan.carries !== undefined;
}

function startJournal(plan: Plan, now: () => number): RollbackJournal {
  const refOf = (kind: 'git-restore'): string | null => {
    const e = plan.effects.find((x): x is Extract<Effect, { kind: typeof kind }> => x.kind === kind);
    return e ? e.ref : null;
  };
  // The backups this operation stands on: the one a completed retry carries (it exists: the
  // planner checked), and its own once its git-backup has run.
  const first = plan.carries?.backup_ref ?? null;
  return {
    op: plan.action === 'undo-abort' ? 'undo-abort' : 'abort',
    state: 'in-progress',
    started_at: plan.carries?.started_at ?? iso(now),
    updated_at: iso(now),
    backup_ref: first,
    restore_ref: refOf('git-restore'),
    backups: first ? [first] : [],
    // Only a backup from before a change of the work tree is carried (see the planners).
    ...(first ? { tree_changed: true } : {}),
    steps: plan.effects.map((e) => e.kind),
    done: 0,
  };
}

/** Records the outcome in actions.jsonl; a log that cannot be written safely is said, not fatal. */
async function recorded(writer: Writer, plan: Plan, r: ApplyResult, now: () => number): Promise<ApplyResult> {
  try {
    await writer.record(record(plan, r, now));
  } catch (err) {
    return { ...r, recordError: (err as Error).message };
  }
  return r;
}

function record(plan: Plan, r: ApplyResult, now: () => number): Record<string, unknown> {
  return {
    time: new Date(now()).toISOString(),
    action: plan.action,
    team: plan.team,
    args: plan.args,
    plan: plan.effects,
    result: r.ok ? 'ok' : plan.refused ? 'refused' : 'failed',
    effects: r.results,
    ...(plan.carries ? { completes: plan.carries.started_at } : {}),
    ...(r.ok && plan.before ? { before: plan.before } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}
