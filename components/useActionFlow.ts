// The action keys' flow in the TUI: an action intent opens the dialog it needs (pick a teammate or
// an edge, type a reason), then the plan is shown for confirmation, then applied through the action
// layer. The reducer records intents; this hook carries them out (it does the I/O).
import { useEffect } from 'react';
import type { TeamSnapshot } from '../src/model/types.js';
import type { ActionName, Alert } from '../src/alerts/types.js';
import { cycleChoice, planAction, type ActionArgs } from '../src/actions/plan.js';
import { applyPlan } from '../src/actions/apply.js';
import { describeEffect, type Plan, type Writer } from '../src/actions/types.js';
import { latestBackupOf, resolveRepo } from '../src/actions/repo.js';
import { targetOf, type Selected } from '../src/tui/targets.js';
import type { PaneLists } from '../src/tui/derive.js';
import type { Dialog, Intent, PaneId } from '../src/tui/view-state.js';
import type { StateSource } from '../src/sources/source.js';

export interface ActionFlowDeps {
  intent: Intent | null;
  team: TeamSnapshot | undefined;
  lists: PaneLists;
  source: StateSource;
  readonly: boolean;
  writerFor?: (teamId: string) => Writer;
  now: () => number;
  done: () => void;
  openDialog: (d: Dialog | null) => void;
  say: (message: string) => void;
}

function selectedItem(lists: PaneLists, pane: PaneId, index: number): Selected | null {
  if (index < 0) return null;
  const item = (lists[pane] as readonly unknown[])[index];
  return item === undefined ? null : ({ pane, item } as Selected);
}

export function confirmDialog(plan: Plan): Dialog {
  const lines = [
    ...(plan.refused ? [`refused: ${plan.refused}`] : []),
    ...plan.notes.map((n) => `note: ${n}`),
    ...plan.effects.map((e, i) => `${i + 1}. ${describeEffect(e)}`),
  ];
  return { kind: 'confirm', plan, lines, expect: plan.action === 'abort' && !plan.refused ? plan.team : null, typed: '' };
}

export function useActionFlow(d: ActionFlowDeps): void {
  useEffect(() => {
    const intent = d.intent;
    if (!intent || intent.kind === 'ack' || intent.kind === 'older' || intent.kind === 'postmortem' || intent.kind === 'lesson') return;
    d.done();
    const team = d.team;
    if (!team) return;
    if (d.readonly || !d.writerFor) {
      d.say('read-only: actions are disabled (started with --readonly)');
      return;
    }
    void (async () => {
      try {
        if (intent.kind === 'action') await start(intent.action, intent.pane, intent.index);
        else if (intent.kind === 'step') await step(intent.action, intent.args);
        else if (intent.kind === 'apply') await apply(intent.plan);
      } catch (e) {
        d.say(`${intent.kind === 'apply' ? 'failed' : 'cannot plan'}: ${(e as Error).message}`);
      }
    })();

    async function start(action: ActionName, pane: PaneId, index: number): Promise<void> {
      const sel = selectedItem(d.lists, pane, index);
      const t = targetOf(action, team!, sel);
      if ('error' in t) { d.say(t.error); return; }
      const args: ActionArgs = { target: t.target };
      if (action === 'halt' && team!.info.status === 'halted') return step('resume', args);
      if (action === 'reassign') {
        const task = team!.tasks.find((x) => x.id === t.target);
        const options = team!.teammates.filter((m) => m.id !== task?.owner && m.id !== team!.info.lead.id)
          .map((m) => ({ label: `${m.id}${m.name ? ` (${m.name})` : ''}${m.status ? ` — ${m.status}` : ''}`, value: m.id }));
        if (options.length === 0) { d.say('no other teammate to reassign to'); return; }
        d.openDialog({ kind: 'pick', action, field: 'to', args, index: 0, options, title: `Reassign ${t.target}${task?.owner ? ` (now ${task.owner})` : ''} to:` });
        return;
      }
      if (action === 'break-cycle') {
        const c = cycleChoice(team!, t.target);
        if (!c) { d.say(t.target ? `no dependency cycle through ${t.target}` : 'there is no dependency cycle'); return; }
        const options = c.edges.map(([f, to], i) => ({ label: `${f} stops waiting on ${to}${i === c.suggested ? '   (suggested: the task the others wait on goes first)' : ''}`, value: `${f}:${to}` }));
        d.openDialog({ kind: 'pick', action, field: 'edge', args, index: c.suggested, options, title: `Break ${[...c.chain, c.chain[0]].join(' → ')}: remove which dependency?` });
        return;
      }
      if (action === 'complete') {
        d.openDialog({ kind: 'prompt', action, field: 'reason', args, draft: 'lead override to break a deadlock', title: `Complete ${t.target} as the lead. Reason:` });
        return;
      }
      if (action === 'abort') {
        d.openDialog({ kind: 'prompt', action, field: 'reason', args, draft: '', title: `Abort team ${team!.id}. Reason (recorded in the decision record):` });
        return;
      }
      await step(action, args);
    }

    async function step(action: ActionName, args: ActionArgs): Promise<void> {
      const snap = d.source.getSnapshot();
      const repo = await resolveRepo(team!, snap.root);
      const backup = action === 'undo-abort' ? await latestBackupOf(repo, team!.id) : null;
      const plan = planAction(team!, action, args, { now: d.now(), repo, lead: team!.info.lead.id ?? 'lead', backup });
      d.openDialog(confirmDialog(plan));
    }

    async function apply(plan: Plan): Promise<void> {
      const r = await applyPlan(plan, d.writerFor!(plan.team));
      await d.source.refresh(plan.team);
      const seqs = r.results.map((x) => x.detail?.sequence).filter((x) => x !== undefined);
      d.say(r.ok ? `${plan.action}: applied${seqs.length ? ` (message ${seqs.join(', ')})` : ''} — recorded in actions.jsonl` : `${plan.action} failed: ${r.error}`);
    }
  }, [d.intent]);
}

export type { Alert };
