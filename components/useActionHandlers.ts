// The action intents' handlers: a key starts an action (its target from the selection, then its
// questions as dialogs), an answered dialog plans the next step or the confirmation, a confirmed
// plan is applied through the action layer. Planning and dialogs come from src/tui/action-flow.ts.
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { ActionArgs, ActionName, Plan, PlanContext, Writer } from '../src/ports/effects.js';
import { planAction, sameDecision } from '../src/actions/plan.js';
import { applyPlan } from '../src/actions/apply.js';
import { planContextFor } from '../src/actions/context.js';
import { confirmDialog, nextQuestion, selectionOf, startAction } from '../src/tui/action-flow.js';
import type { PaneLists } from '../src/tui/derive.js';
import type { Dialog } from '../src/tui/dialogs.js';
import type { StateSource } from '../src/sources/source.js';
import type { IntentHandlers } from './useIntents.js';

export interface ActionDeps {
  team: TeamSnapshot | undefined;
  lists: PaneLists;
  source: StateSource;
  readonly: boolean;
  writerFor?: (teamId: string) => Writer;
  now: () => number;
  openDialog: (d: Dialog | null) => void;
  say: (message: string) => void;
}

type Handlers = Pick<IntentHandlers, 'action' | 'step' | 'apply'>;

export function actionHandlers(d: ActionDeps): Handlers {
  /** Runs on the team shown, or on the team a dialog asked about (`teamId`) wherever it is now. */
  const guard = (run: (team: TeamSnapshot) => Promise<void>, failed: string, teamId?: string): void => {
    const team = teamId === undefined ? d.team : d.source.getSnapshot().teams.find((t) => t.id === teamId);
    if (!team) {
      if (teamId !== undefined) d.say(`${failed}: team ${teamId} is no longer there — nothing was written`);
      return;
    }
    if (d.readonly || !d.writerFor) {
      d.say('read-only: actions are disabled (started with --readonly)');
      return;
    }
    run(team).catch((e: Error) => d.say(`${failed}: ${e.message}`));
  };

  const step = async (team: TeamSnapshot, action: ActionName, args: ActionArgs): Promise<void> => {
    const q = nextQuestion(action, team, args, d.now());
    if (q && 'say' in q) { d.say(q.say); return; }
    const ctx = await planContextFor(team, action, d.source.getSnapshot().root, d.now());
    if (q?.kind === 'prompt') {
      // Check before asking: a refusal the answer cannot change is said now, not after the typing.
      const trial = planAction(team, action, { ...args, [q.field]: 'a reason' }, ctx);
      if (trial.refused) { await finish({ ...trial, args: { ...args } }, team, ctx); return; }
    }
    if (q) { d.openDialog(q); return; }
    await finish(planAction(team, action, args, ctx), team, ctx);
  };

  const finish = async (plan: Plan, team: TeamSnapshot, ctx: PlanContext): Promise<void> => {
    d.openDialog(confirmDialog(plan, team.format, team, ctx));
    // A refusal is recorded in actions.jsonl, as `teamtop act` records it (it writes nothing else),
    // after the dialog shows: a record waiting on a lock never holds the screen.
    if (plan.refused) {
      const said = (why: string): void => d.say(`${plan.action} refused; not recorded in actions.jsonl: ${why}`);
      try {
        void applyPlan(plan, d.writerFor!(plan.team)).then((r) => { if (r.recordError) said(r.recordError); }, (e: Error) => said(e.message));
      } catch (e) {
        said((e as Error).message);
      }
    }
  };

  /**
   * The plan as it would be made now, when the team's files changed since it was shown in a way
   * that changes it (another writer reassigned or completed the task, the teammate went…): then
   * that plan is shown instead, and nothing is written. Else the confirmed plan as it was shown.
   */
  const recheck = async (plan: Plan, basis: TeamSnapshot, basisCtx: PlanContext | undefined): Promise<{ apply: Plan } | { shown: true }> => {
    if (plan.action === 'ack-alert') return { apply: plan };
    await d.source.refresh(plan.team);
    const team = d.source.getSnapshot().teams.find((t) => t.id === plan.team);
    if (!team) {
      d.say(`${plan.action}: team ${plan.team} is no longer there — nothing was written`);
      return { shown: true };
    }
    const args = plan.args as ActionArgs;
    // Planned at the moment the plan was shown (its names — tags, backup refs, records — carry that
    // moment, and what is applied is what was shown), from the files and the repository as they are
    // now: only a change in those tells it from the plan shown.
    const ctx = { ...(await planContextFor(team, plan.action, d.source.getSnapshot().root, d.now())), ...(basisCtx ? { now: basisCtx.now } : {}) };
    const fresh = planAction(team, plan.action, args, ctx);
    const shown = basisCtx ? planAction(basis, plan.action, args, basisCtx) : plan;
    if (sameDecision(shown, fresh)) return { apply: fresh };
    // Shown again as it is now (planned at this moment: the next confirmation applies exactly it).
    const nowCtx = { ...ctx, now: d.now() };
    const again = planAction(team, plan.action, args, nowCtx);
    const why = `the team's files changed while the plan was open${again.refused ? '' : ': this is the plan now'}`;
    await finish({ ...again, notes: [why, ...again.notes] }, team, nowCtx);
    return { shown: true };
  };

  const apply = async (confirmed: Plan, basis?: TeamSnapshot, basisCtx?: PlanContext): Promise<void> => {
    const checked = basis ? await recheck(confirmed, basis, basisCtx) : { apply: confirmed };
    if (!('apply' in checked)) return;
    const plan = checked.apply;
    const r = await applyPlan(plan, d.writerFor!(plan.team));
    await d.source.refresh(plan.team);
    const seqs = r.results.map((x) => x.detail?.sequence).filter((x) => x !== undefined);
    d.say(r.ok ? `${plan.action}: applied${seqs.length ? ` (message ${seqs.join(', ')})` : ''} — recorded in actions.jsonl` : `${plan.action} ${r.refused ? 'refused' : 'failed'}: ${r.error}`);
  };

  return {
    action: (i) => guard(async (team) => {
      const s = startAction(i.action, team, selectionOf(d.lists, i.pane, i.index));
      if ('say' in s) { d.say(s.say); return; }
      await step(team, s.action, s.args);
    }, 'cannot plan'),
    step: (i) => guard((team) => step(team, i.action, i.args), 'cannot plan', i.team),
    apply: (i) => guard(() => apply(i.plan, i.basis, i.basisCtx), 'failed', i.plan.team),
  };
}
