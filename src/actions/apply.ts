// Applying a plan: every file the plan writes is checked first (a plan that would write through a
// symbolic link, into a FIFO or outside its root is refused before anything is written), then the
// effects run in order, stopping at the first failure, then one record in actions.jsonl says what
// was asked, what was planned, what happened and the error if any. Every whole-file write is
// atomic, so a failure leaves each file either old or new. A rollback (abort, undo-abort) keeps a
// journal from before its first effect, so a kill half way is noticed and can be completed or
// undone.
import type { ApplyContext, ApplyResult, Effect, EffectResult, Plan, RollbackJournal, Writer } from '../ports/effects.js';

export async function applyPlan(plan: Plan, writer: Writer, now: () => number = Date.now): Promise<ApplyResult> {
  if (!plan.refused) {
    try {
      await writer.checkRecord();
      for (const e of plan.effects) await writer.check(e);
    } catch (err) {
      plan = { ...plan, refused: (err as Error).message };
    }
  }
  if (plan.refused) {
    const r: ApplyResult = { ok: false, results: [], error: plan.refused };
    return recorded(writer, plan, r, now);
  }
  const results: EffectResult[] = [];
  const ctx: ApplyContext = {};
  let error: string | undefined;
  let journal = isRollback(plan) ? startJournal(plan, now) : null;
  try {
    if (journal) await writer.writeRollback(journal);
    for (let i = 0; i < plan.effects.length; i++) {
      const e = plan.effects[i]!;
      try {
        results.push(await writer.apply(e, ctx));
      } catch (err) {
        error = `${e.kind}: ${(err as Error).message}`;
        break;
      }
      if (journal) {
        journal = { ...journal, done: i + 1, updated_at: iso(now) };
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

function isRollback(plan: Plan): boolean {
  return plan.effects.some((e) => e.kind === 'git-reset' || e.kind === 'git-restore') || plan.carries !== undefined;
}

function startJournal(plan: Plan, now: () => number): RollbackJournal {
  const refOf = (kind: 'git-backup' | 'git-restore'): string | null => {
    const e = plan.effects.find((x): x is Extract<Effect, { kind: typeof kind }> => x.kind === kind);
    return e ? e.ref : null;
  };
  const fresh = refOf('git-backup');
  const first = plan.carries?.backup_ref ?? null;
  return {
    op: plan.action === 'undo-abort' ? 'undo-abort' : 'abort',
    state: 'in-progress',
    started_at: plan.carries?.started_at ?? iso(now),
    updated_at: iso(now),
    backup_ref: first ?? fresh,
    restore_ref: refOf('git-restore'),
    backups: [...new Set([first, fresh].filter((r): r is string => r !== null))],
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
    ...(r.error ? { error: r.error } : {}),
  };
}
