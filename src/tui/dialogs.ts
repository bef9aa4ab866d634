// The action dialogs as a pure reducer: pick from a list, type a line, fill a short form, confirm a
// plan. Their keys come from the keymap's dialog scopes (src/tui/keymap.ts), like their hints.
import type { Key } from 'ink';
import { editLine, lineAt, type Line } from './line-edit.js';
import type { ActionArgs, ActionName, Plan } from '../ports/effects.js';
import { sanitize } from '../safety/sanitize.js';
import { commandFor, hintLine } from './keymap.js';
import type { PaneId } from './pane-ids.js';

/** Something the App must do outside the reducer, taken from the state the key arrived in. */
export type Intent =
  | { kind: 'ack'; index: number }
  /** An action key: the App resolves the target and opens the first dialog. */
  | { kind: 'action'; action: ActionName; pane: PaneId; index: number }
  /** A dialog step finished: the App plans the next step (or the confirmation) on the team it was asked about. */
  | { kind: 'step'; action: ActionName; team: string; args: ActionArgs }
  /** A plan was confirmed; `shownAt`: the moment it was planned (applying plans it again then: planAsShown). */
  | { kind: 'apply'; plan: Plan; shownAt?: number }
  /** A mailbox move waits for the page before the loaded messages (from the very start with `top`): read it. */
  | { kind: 'older'; top: boolean }
  /** A mailbox move waits for the page after a slice of history: read it. */
  | { kind: 'newer' }
  | { kind: 'postmortem' }
  /** L: check the team can take a lesson (it has a repository) before asking for one. */
  | { kind: 'lesson-form' }
  | { kind: 'lesson'; values: Record<string, string> }
  /** Go to the tmux pane of the selected row's teammate. */
  | { kind: 'jump'; pane: PaneId; index: number }
  /** A line for the footer (a key that does nothing here says why; a dialog closed says so). */
  | { kind: 'say'; text: string };

/** Action dialogs: pick from a list, type a line, or confirm a plan. A question names the team it is about. */
export type Dialog =
  | { kind: 'pick'; action: ActionName; team: string; title: string; options: Array<{ label: string; value: string }>; index: number; field: 'to' | 'edge'; args: ActionArgs }
  | { kind: 'prompt'; action: ActionName; team: string; title: string; draft: string; field: 'reason'; args: ActionArgs; cursor?: number; required?: boolean; missing?: boolean }
  | {
    kind: 'confirm'; plan: Plan; shownAt?: number; lines: string[]; expect: string | null; typed: string; yOnly?: boolean; cursor?: number;
    /**
     * A plan taller than its box: the first body line in view, the first not yet seen (counted in
     * the box `seenIn`, "total:room": a box of another size counts again), and whether a
     * confirmation came before every line was seen.
     */
    scroll?: number; seen?: number; seenIn?: string; unseen?: boolean;
    /** Enter came with a typed id that is not the team's (said, until the next key). */
    mismatch?: boolean;
  }
  /** A short form: one line per field, Enter moves to the next, the last Enter submits. */
  | { kind: 'form'; title: string; fields: Array<{ key: string; label: string; value: string; cursor?: number }>; index: number; submit: 'lesson' };

/**
 * Text typed (or pasted) into a prompt, without escape sequences or control characters: a draft is
 * drawn on the terminal (the filter in the pane title, the prompt line) and a reason is written to
 * state files, so it must be as safe as text from a file.
 */
export function typed(input: string): string {
  return sanitize(input);
}

/** What a key does to an open dialog: the dialog after it, and anything the App must do. */
export interface DialogOutcome {
  dialog: Dialog | null;
  intent?: Intent;
  quit?: boolean;
}

const keep = (d: Dialog): DialogOutcome => ({ dialog: d });
const close: DialogOutcome = { dialog: null };
/** A dialog closed by the user: said, so that nothing-happened is never silent. */
const cancelled = (what: string): DialogOutcome => ({ dialog: null, intent: { kind: 'say', text: `${what}: cancelled — nothing was written` } });

/** Text keys: whatever is not a command of the dialog's scope edits the line. */
/** A line-editing key applied to a value and its cursor (end when unset), or null. */
function edit(value: string, cursor: number | undefined, input: string, key: Key): Line | null {
  return editLine(lineAt(value, cursor), input, key);
}

/** The size of a plan's body and of its box (dialog-layout.ts), for scrolling it; `tooSmall`: nothing can be confirmed in it. */
export interface PlanBox { total: number; room: number; tooSmall?: boolean }

/**
 * The first line past the body's last shown line when the plan is scrolled to `scroll`: every
 * line has been seen once this reaches `total`.
 */
export function seenThrough(scroll: number, l: PlanBox): number {
  if (l.total <= l.room) return l.total;
  const w = planWindow(scroll, l);
  return w.from + w.count;
}

/**
 * The body lines a plan's box shows when scrolled to `scroll`: `count` lines from `from`, with a
 * marker line above and below when there is more (only when the box has room for them: 3 lines).
 * The one definition the layout draws and the reducer counts as seen.
 */
export function planWindow(scroll: number, l: PlanBox): { from: number; count: number; above: boolean; below: boolean } {
  const top = Math.max(0, Math.min(scroll, l.total - l.room));
  if (l.room < 3) return { from: top, count: Math.min(l.room, l.total - top), above: false, below: false };
  const above = top > 0;
  const below = top + l.room < l.total;
  const from = above ? top + 1 : top;
  return { from, count: Math.max(0, l.room - (above ? 1 : 0) - (below ? 1 : 0)), above, below };
}

/** Keys while a dialog is open: it takes them all (Ctrl-C still quits). `box`: the plan's box on screen. */
export function dialogKey(d: Dialog, input: string, key: Key, box?: PlanBox): DialogOutcome {
  if (key.ctrl && input === 'c') return { dialog: d, quit: true };
  if (d.kind === 'confirm' && box) {
    const scrolled = scrollPlan(d, commandFor(input, key, d.plan.refused ? 'refused' : d.expect !== null ? 'confirmTyped' : d.yOnly ? 'confirmY' : 'confirm'), box);
    if (scrolled) return keep(scrolled);
  }
  switch (d.kind) {
    case 'pick': {
      switch (commandFor(input, key, 'pick')) {
        case 'pickDown': return keep({ ...d, index: Math.min(d.options.length - 1, d.index + 1) });
        case 'pickUp': return keep({ ...d, index: Math.max(0, d.index - 1) });
        case 'accept': {
          const value = d.options[d.index]?.value;
          return value === undefined ? keep(d) : { dialog: null, intent: { kind: 'step', action: d.action, team: d.team, args: { ...d.args, [d.field]: value } } };
        }
        case 'cancel': return cancelled(d.action);
        default: return keep(d);
      }
    }
    case 'prompt': {
      const cmd = commandFor(input, key, 'text');
      if (cmd === 'accept') return d.required && !d.draft.trim() ? keep({ ...d, missing: true }) : { dialog: null, intent: { kind: 'step', action: d.action, team: d.team, args: { ...d.args, [d.field]: d.draft } } };
      if (cmd === 'cancel') return cancelled(d.action);
      const l = edit(d.draft, d.cursor, input, key);
      return keep(l === null ? d : { ...d, draft: l.text, cursor: l.cursor, missing: false });
    }
    case 'form': {
      const cmd = commandFor(input, key, 'form');
      if (cmd === 'cancel') return cancelled('lesson');
      if (cmd === 'prevField') return keep({ ...d, index: Math.max(0, d.index - 1) });
      if (cmd === 'nextField') {
        if (!key.return || d.index < d.fields.length - 1) return keep({ ...d, index: Math.min(d.fields.length - 1, d.index + 1) });
        if (d.fields.some((x) => !x.value.trim())) return keep({ ...d, index: d.fields.findIndex((x) => !x.value.trim()) });
        return { dialog: null, intent: { kind: 'lesson', values: Object.fromEntries(d.fields.map((x) => [x.key, x.value.trim()])) } };
      }
      const f = d.fields[d.index]!;
      const l = edit(f.value, f.cursor, input, key);
      return keep(l === null ? d : { ...d, fields: d.fields.map((x, i) => (i === d.index ? { ...x, value: l.text, cursor: l.cursor } : x)) });
    }
    case 'confirm': {
      if (d.plan.refused) return commandFor(input, key, 'refused') === 'cancel' ? close : keep(d);
      if (d.expect !== null) {
        const cmd = commandFor(input, key, 'confirmTyped');
        if (cmd === 'cancel') return cancelled(d.plan.action);
        if (cmd === 'confirmYes') return d.typed === d.expect ? confirmed(d, box) : keep({ ...d, mismatch: true });
        const l = edit(d.typed, d.cursor, input, key);
        return keep(l === null ? d : { ...d, typed: l.text, cursor: l.cursor, mismatch: false });
      }
      switch (commandFor(input, key, d.yOnly ? 'confirmY' : 'confirm')) {
        case 'confirmYes': return confirmed(d, box);
        case 'confirmNo': return cancelled(d.plan.action);
        default: return keep(d);
      }
    }
  }
}

type Confirm = Extract<Dialog, { kind: 'confirm' }>;

/** The plan scrolled by a scroll key, or null for any other key. */
function scrollPlan(d: Confirm, cmd: ReturnType<typeof commandFor>, box: PlanBox): Confirm | null {
  const page = Math.max(1, box.room - 2);
  const by = cmd === 'planDown' ? 1 : cmd === 'planUp' ? -1 : cmd === 'planPageDown' ? page : cmd === 'planPageUp' ? -page : 0;
  return by === 0 ? null : scrolledTo(d, (d.scroll ?? 0) + by, box);
}

const boxKey = (box: PlanBox): string => `${box.total}:${box.room}`;

/** The first line not yet seen, in the box as it is (lines seen in a box of another size do not count). */
function seenSoFar(d: Confirm, box: PlanBox): number {
  return Math.max(d.seenIn === boxKey(box) ? d.seen ?? 0 : 0, seenThrough(d.scroll ?? 0, box));
}

function scrolledTo(d: Confirm, to: number, box: PlanBox): Confirm {
  const scroll = Math.max(0, Math.min(to, box.total - box.room));
  const seen = Math.max(seenSoFar(d, box), seenThrough(scroll, box));
  return { ...d, scroll, seen, seenIn: boxKey(box), unseen: d.unseen === true && seen < box.total };
}

/**
 * A confirmation: applied once every line of the plan has been in view in the box as drawn (a step
 * below the box is never confirmed unseen); else the plan moves on a page and says why it waits.
 * Without a box the dialog has not been drawn yet (a key typed ahead of it): nothing is applied.
 */
function confirmed(d: Confirm, box: PlanBox | undefined): DialogOutcome {
  if (!box || box.tooSmall) return keep(d);
  if (seenSoFar(d, box) < box.total) {
    return keep({ ...scrolledTo(d, (d.scroll ?? 0) + Math.max(1, box.room - 2), box), unseen: true });
  }
  return { dialog: null, intent: { kind: 'apply', plan: d.plan, ...(d.shownAt !== undefined ? { shownAt: d.shownAt } : {}) } };
}

/** The hint line of a dialog, from the keymap. */
export function dialogHint(d: Dialog): string {
  switch (d.kind) {
    case 'pick': return hintLine('pick');
    case 'prompt': return hintLine('text');
    case 'form': return `type · ${hintLine('form')}`;
    case 'confirm': return d.plan.refused ? hintLine('refused') : d.expect !== null ? hintLine('confirmTyped') : hintLine(d.yOnly ? 'confirmY' : 'confirm');
  }
}

/** The form L opens once the team is known to have a repository. */
export function lessonForm(): Dialog {
  return {
    kind: 'form', submit: 'lesson', index: 0, title: 'Record a lesson (tasks/lessons.md in the team\'s repo; every field is needed)',
    fields: [
      { key: 'type', label: 'Failure type', value: '' },
      { key: 'what', label: 'What happened', value: '' },
      { key: 'learned', label: 'What we learned', value: '' },
      { key: 'next', label: 'What we will do differently', value: '' },
    ],
  };
}
