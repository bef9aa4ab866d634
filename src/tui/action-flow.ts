// The action keys' flow, without React: an action key resolves its target from the selection, the
// action's module asks its questions one at a time (a pick, a prompt), then the plan is shown for
// confirmation. Pure functions of the team and the answers so far; the App does the I/O.
import type { FormatAdapter, TeamSnapshot } from '../model/snapshot.js';
import { payloadLine } from '../safety/sanitize.js';
import type { ActionArgs, ActionName, Plan } from '../ports/effects.js';
import type { Selection } from '../actions/action.js';
import { ACTIONS } from '../actions/registry.js';
import { describeEffect } from '../actions/describe.js';
import type { PaneLists } from './derive.js';
import type { Dialog } from './dialogs.js';
import type { PaneId } from './pane-ids.js';

/** The selected row of a pane, as an action sees it. */
export function selectionOf(lists: PaneLists, pane: PaneId, index: number): Selection {
  if (index < 0) return null;
  switch (pane) {
    case 'teammates': { const t = lists.teammates[index]; return t ? { teammate: t } : null; }
    case 'tasks': { const t = lists.tasks[index]; return t ? { task: t } : null; }
    case 'alerts': { const a = lists.alerts[index]; return a ? { alert: a } : null; }
    default: return null;
  }
}

/** What pressing an action's key leads to: the action it means and its first arguments, or why not. */
export function startAction(action: ActionName, team: TeamSnapshot, sel: Selection): { action: ActionName; args: ActionArgs } | { say: string } {
  const def = ACTIONS[action];
  const t = def.target(team, sel);
  if ('error' in t) return { say: t.error };
  return { action: def.instead?.(team) ?? action, args: { target: t.target } };
}

/** The next question of an action as a dialog, `say` when it cannot go on, or null: ready to plan. */
export function nextQuestion(action: ActionName, team: TeamSnapshot, args: ActionArgs, now: number = Date.now()): Dialog | { say: string } | null {
  const q = ACTIONS[action].ask?.(team, args, now) ?? null;
  if (q === null || 'say' in q) return q;
  return q.kind === 'pick'
    ? { kind: 'pick', action, team: team.id, title: q.title, options: q.options, index: q.index, field: q.field, args }
    : { kind: 'prompt', action, team: team.id, title: q.title, draft: q.draft, field: q.field, args, ...(q.required ? { required: true } : {}) };
}

/**
 * The confirmation dialog of a plan planned at `shownAt` (applying plans it again at that moment on
 * the files as they are then, and applies it only if it asks for the same decision).
 */
export function confirmDialog(plan: Plan, format?: FormatAdapter, shownAt?: number): Dialog {
  const lines = [
    ...(plan.refused ? [`refused: ${plan.refused}`] : []),
    ...plan.notes.map((n) => `note: ${n}`),
    // A message shows what it will say, not only where it goes.
    ...plan.effects.flatMap((e, i) => [
      `${i + 1}. ${describeEffect(e, format)}`,
      // Whole: the box scrolls, and a plan is applied only once every line of it was in view (a very
      // long text says how much more it holds).
      ...(e.kind === 'append-message' && payloadLine(e.message.payload) ? [`     “${said(payloadLine(e.message.payload))}”`] : []),
    ]),
  ];
  const typed = plan.action !== 'ack-alert' && ACTIONS[plan.action].confirm === 'team-id' && !plan.refused;
  const yOnly = plan.action !== 'ack-alert' && ACTIONS[plan.action].confirm === 'y-only';
  return { kind: 'confirm', plan, ...(shownAt !== undefined ? { shownAt } : {}), lines, expect: typed ? plan.team : null, typed: '', ...(yOnly ? { yOnly } : {}) };
}

/** What a message will say, as the confirmation shows it: whole up to MESSAGE_SHOWN characters. */
const MESSAGE_SHOWN = 4000;
function said(text: string): string {
  return text.length > MESSAGE_SHOWN ? `${text.slice(0, MESSAGE_SHOWN)}… (${text.length - MESSAGE_SHOWN} more characters)` : text;
}
