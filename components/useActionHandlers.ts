// The action intents' handlers: a key starts an action (its target from the selection, then its
// questions as dialogs), an answered dialog plans the next step or the confirmation, a confirmed
// plan is applied through the action layer. Planning and dialogs come from src/tui/action-flow.ts.
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { ActionArgs, ActionName, Plan, PlanContext, Writer } from '../src/ports/effects.js';
import { planAction, sameDecision } from '../src/actions/plan.js';
import { applyPlan } from '../src/actions/apply.js';
import { planAsShown, planContextFor } from '../src/actions/context.js';
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
    d.openDialog(confirmDialog(plan, team.format, ctx.now));
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
   * What a confirmed plan applies (planAsShown): planned again at the moment it was shown on the
   * files as they are now. When that asks for another decision (another writer reassigned or
   * completed the task, the teammate went…), it is shown instead, planned now, and nothing is written.
   */
  const recheck = async (plan: Plan, shownAt: number): Promise<Plan | null> => {
    if (plan.action === 'ack-alert') return plan;
    await d.source.refresh(plan.team);
    const team = d.source.getSnapshot().teams.find((t) => t.id === plan.team);
    if (!team) {
      d.say(`${plan.action}: team ${plan.team} is no longer there — nothing was written`);
      return null;
    }
    const root = d.source.getSnapshot().root;
    const fresh = await planAsShown(team, { ...plan, action: plan.action }, root, shownAt);
    if (sameDecision(plan, fresh)) return fresh;
    const ctx = await planContextFor(team, plan.action, root, d.now());
    const again = planAction(team, plan.action, plan.args as ActionArgs, ctx);
    const why = `the team's files changed while the plan was open${again.refused ? '' : ': this is the plan now'}`;
    await finish({ ...again, notes: [why, ...again.notes] }, team, ctx);
    return null;
  };

  const apply = async (confirmed: Plan, shownAt?: number): Promise<void> => {
    const plan = shownAt === undefined ? confirmed : await recheck(confirmed, shownAt);
    if (plan === null) return;
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
    apply: (i) => guard(() => apply(i.plan, i.shownAt), 'failed', i.plan.team),
  };
}
