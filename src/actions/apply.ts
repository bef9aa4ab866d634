// Applying a plan: effects in order, stopping at the first failure, then one record in
// actions.jsonl with what was asked, what was planned, what happened and the error if any.
// Every whole-file write is atomic, so a failure leaves each file either old or new.
import type { ApplyContext, ApplyResult, EffectResult, Plan, Writer } from './types.js';

export async function applyPlan(plan: Plan, writer: Writer, now: () => number = Date.now): Promise<ApplyResult> {
  if (plan.refused) {
    const r: ApplyResult = { ok: false, results: [], error: plan.refused };
    await writer.record(record(plan, r, now));
    return r;
  }
  const results: EffectResult[] = [];
  const ctx: ApplyContext = {};
  let error: string | undefined;
  for (const e of plan.effects) {
    try {
      results.push(await writer.apply(e, ctx));
    } catch (err) {
      error = `${e.kind}: ${(err as Error).message}`;
      break;
    }
  }
  const r: ApplyResult = { ok: error === undefined, results, ...(error ? { error } : {}) };
  await writer.record(record(plan, r, now));
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
    ...(r.error ? { error: r.error } : {}),
  };
}
