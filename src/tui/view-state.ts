// The TUI's view state as a pure reducer: focus, selection, scroll, filters and overlays.
// Tested without a terminal; the App only maps keys to commands and renders the result.
import type { Key } from 'ink';
import { actionOf, commandFor, type Command } from './keymap.js';
import { dialogKey, typed, type Dialog, type Intent, type PlanBox } from './dialogs.js';
import { afterPage, intentFor, keyWhilePending, type PageArrival, type PendingMove } from './mailbox-paging.js';
import { PANES, type PaneId } from './pane-ids.js';

export type Overlay =
  | { kind: 'help'; scroll: number }
  /** A row's detail: `key` is its item's (selection.ts itemKey): the detail stays on the item, not on the row. */
  | { kind: 'detail'; pane: PaneId; index: number; scroll: number; key?: string }
  /** The timeline; `filter` is a teammate index into the team's teammates, or -1 for all. */
  | { kind: 'timeline'; scroll: number; filter: number };

export interface ViewState {
  teamIndex: number;
  focus: PaneId;
  selected: Record<PaneId, number>;
  top: Record<PaneId, number>;
  /** The mailbox follows new messages until the user scrolls up. */
  follow: boolean;
  filters: Record<PaneId, string>;
  /** The pane whose filter is being typed, and the text so far. */
  editing: { pane: PaneId; draft: string } | null;
  overlay: Overlay | null;
  dialog: Dialog | null;
  intent: Intent | null;
  /** A mailbox move past what is loaded, waiting for a page (mailbox-paging.ts). */
  pending: PendingMove | null;
  /** Keys read with one that changed the team or the list under them: reduced after the next frame. */
  deferred: string | null;
  quit: boolean;
  /** Teams with no teammates are shown too (else folded into a count in the header). */
  showEmpty: boolean;
}

export interface ViewContext {
  /** Rows in each pane after filtering. */
  counts: Record<PaneId, number>;
  /** Visible rows in each pane. */
  pageSize: Record<PaneId, number>;
  teamCount: number;
  /** The mailbox has messages before the first loaded one (read from disk on demand). */
  olderMailbox?: boolean;
  /** The mailbox lists a slice of history: there are messages after its last (read on demand). */
  newerMailbox?: boolean;
  /** How many messages come before the mailbox's first listed one (a move up stops at the first). */
  mailboxBefore?: number;
  /** How many teammates the current team has (the timeline's filter cycles through them). */
  teammateCount?: number;
  /** The open plan's size and its box's (a plan taller than its box scrolls). */
  planBox?: PlanBox;
  /** How many teams are folded away (quiet, or ended over a day ago). */
  folded?: number;
  /** The key of the item at a row of a pane's list (selection.ts itemKey), or null. */
  keyAt?: (pane: PaneId, index: number) => string | null;
}

const zero = (): Record<PaneId, number> => ({ teammates: 0, tasks: 0, mailbox: 0, alerts: 0 });

export function initialViewState(teamIndex = 0, showEmpty = false): ViewState {
  return {
    teamIndex, focus: 'teammates', selected: zero(), top: zero(), follow: true,
    filters: { teammates: '', tasks: '', mailbox: '', alerts: '' }, editing: null, overlay: null, dialog: null, intent: null, pending: null, deferred: null, quit: false,
    showEmpty,
  };
}

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

/** Keeps `top` such that the selected row is visible. */
export function scrollInto(top: number, sel: number, page: number, count: number): number {
  if (page <= 0) return 0;
  let t = top;
  if (sel < t) t = sel;
  if (sel >= t + page) t = sel - page + 1;
  return clamp(t, 0, Math.max(0, count - page));
}

/** The selected index a pane shows (the mailbox shows its last row while following). */
export function effectiveSelection(s: ViewState, pane: PaneId, count: number): number {
  if (count === 0) return 0;
  if (pane === 'mailbox' && s.follow) return count - 1;
  return clamp(s.selected[pane], 0, count - 1);
}

function moveTo(s: ViewState, pane: PaneId, index: number, ctx: ViewContext): ViewState {
  const count = ctx.counts[pane];
  const sel = count === 0 ? 0 : clamp(index, 0, count - 1);
  const next: ViewState = {
    ...s,
    selected: { ...s.selected, [pane]: sel },
    top: { ...s.top, [pane]: scrollInto(s.top[pane], sel, ctx.pageSize[pane], count) },
  };
  // The end of a slice of history is not the newest message: following starts at the real end.
  if (pane === 'mailbox') next.follow = !ctx.newerMailbox && (count === 0 || sel >= count - 1);
  return next;
}

export function reduce(s: ViewState, cmd: Command, ctx: ViewContext): ViewState {
  if (cmd === 'quit') return { ...s, quit: true };

  // Overlays take the keys first.
  if (s.overlay) {
    const o = s.overlay;
    switch (cmd) {
      case 'close': return { ...s, overlay: null };
      case 'timeline': return o.kind === 'timeline' ? { ...s, overlay: null } : { ...s, overlay: { kind: 'timeline', scroll: Number.MAX_SAFE_INTEGER, filter: -1 } };
      case 'timelineFilter': {
        if (o.kind !== 'timeline') return s;
        const n = ctx.teammateCount ?? 0;
        const next = o.filter + 1 >= n ? -1 : o.filter + 1;
        return { ...s, overlay: { ...o, filter: next, scroll: Number.MAX_SAFE_INTEGER } };
      }
      case 'help': return o.kind === 'help' ? { ...s, overlay: null } : { ...s, overlay: { kind: 'help', scroll: 0 } };
      case 'down': return { ...s, overlay: { ...o, scroll: o.scroll + 1 } };
      case 'up': return { ...s, overlay: { ...o, scroll: Math.max(0, o.scroll - 1) } };
      case 'pageDown': return { ...s, overlay: { ...o, scroll: o.scroll + 10 } };
      case 'pageUp': return { ...s, overlay: { ...o, scroll: Math.max(0, o.scroll - 10) } };
      case 'top': return { ...s, overlay: { ...o, scroll: 0 } };
      case 'bottom': return { ...s, overlay: { ...o, scroll: Number.MAX_SAFE_INTEGER } };
      default:
        // An action key over a view is not lost without a word.
        return actionOf(cmd) ? { ...s, intent: { kind: 'say', text: `${cmd.slice('action:'.length)}: close this view first (Esc), then the key acts on the selected row` } } : s;
    }
  }

  const pane = s.focus;
  const count = ctx.counts[pane];
  const cur = effectiveSelection(s, pane, count);
  switch (cmd) {
    case 'help': return { ...s, overlay: { kind: 'help', scroll: 0 } };
    case 'timeline': return { ...s, overlay: { kind: 'timeline', scroll: Number.MAX_SAFE_INTEGER, filter: -1 } };
    case 'postmortem': return { ...s, intent: { kind: 'postmortem' } };
    // The form opens once the team is known to have a repository (the App checks): ask first, check after is wrong.
    case 'lesson': return { ...s, intent: { kind: 'lesson-form' } };
    case 'close':
      return s.filters[pane] ? { ...s, filters: { ...s.filters, [pane]: '' } } : s;
    case 'focusNext': return { ...s, focus: PANES[(PANES.indexOf(pane) + 1) % PANES.length]! };
    case 'focusPrev': return { ...s, focus: PANES[(PANES.indexOf(pane) + PANES.length - 1) % PANES.length]! };
    case 'pane1': return { ...s, focus: 'teammates' };
    case 'pane2': return { ...s, focus: 'tasks' };
    case 'pane3': return { ...s, focus: 'mailbox' };
    case 'pane4': return { ...s, focus: 'alerts' };
    case 'down':
    case 'pageDown':
    case 'up':
    case 'pageUp': {
      const delta = (cmd === 'down' || cmd === 'pageDown' ? 1 : -1) * (cmd === 'down' || cmd === 'up' ? 1 : Math.max(1, ctx.pageSize[pane]));
      const paging = pane === 'mailbox' && !s.filters.mailbox;
      // A move already waits for a page: this key adds to it (or brings it back into the list).
      if (paging && s.pending) {
        const k = keyWhilePending(s.pending, delta, count, ctx.mailboxBefore);
        return 'pending' in k ? { ...s, pending: k.pending } : moveTo({ ...s, pending: null }, pane, k.select, ctx);
      }
      const to = cur + delta;
      if (paging && ctx.newerMailbox && to > count - 1) return wait({ dir: 'newer', top: false, rows: to - Math.max(0, count - 1) }, moveTo(s, pane, count - 1, ctx));
      if (paging && ctx.olderMailbox && to < 0) return wait({ dir: 'older', top: false, rows: Math.min(-to, ctx.mailboxBefore ?? Infinity) }, moveTo(s, pane, 0, ctx));
      return moveTo(s, pane, to, ctx);
    }
    case 'top':
      if (pane === 'mailbox' && ctx.olderMailbox && !s.filters.mailbox) return wait({ dir: 'older', top: true, rows: 0 }, moveTo(s, pane, 0, ctx));
      return moveTo({ ...s, pending: pane === 'mailbox' ? null : s.pending }, pane, 0, ctx);

    // From a slice of history, G goes to the newest message and follows (the App lets the slice go).
    case 'bottom': {
      const t = pane === 'mailbox' ? { ...s, pending: null } : s;
      return pane === 'mailbox' && ctx.newerMailbox ? { ...t, follow: true } : moveTo(t, pane, count - 1, ctx);
    }
    case 'open': {
      if (count === 0) return s;
      // The row as this state selects it (keys typed ahead are reduced before the next frame).
      const key = ctx.keyAt?.(pane, cur) ?? null;
      return { ...s, overlay: { kind: 'detail', pane, index: cur, scroll: 0, ...(key !== null ? { key } : {}) } };
    }
    case 'filter': return { ...s, editing: { pane, draft: s.filters[pane] } };
    case 'ackAlert':
      if (pane !== 'alerts') return { ...s, intent: { kind: 'say', text: 'a acknowledges the selected alert: go to the Alerts pane (4) first' } };
      return count > 0 ? { ...s, intent: { kind: 'ack', index: cur } } : s;
    case 'jumpPane':
      return count > 0 ? { ...s, intent: { kind: 'jump', pane, index: cur } } : s;
    default: {
      const action = actionOf(cmd);
      if (action) return { ...s, intent: { kind: 'action', action, pane, index: count > 0 ? cur : -1 } };
      return s;
    }
    case 'teamNext':
    case 'teamPrev': {
      if (ctx.teamCount <= 1) return s;
      const d = cmd === 'teamNext' ? 1 : -1;
      const fresh = initialViewState((s.teamIndex + d + ctx.teamCount) % ctx.teamCount, s.showEmpty);
      return { ...fresh, focus: s.focus };
    }
    case 'emptyTeams':
      // Nothing to show or fold: said, not a silent key (the view stays as it is).
      if (!s.showEmpty && ctx.folded === 0) return { ...s, intent: { kind: 'say', text: 'e shows quiet teams and teams that ended over a day ago: there are none here' } };
      // The list of teams changes: start from its first team.
      return { ...initialViewState(0, !s.showEmpty), focus: s.focus };
  }
}

/** Typing into the filter prompt. Enter keeps the filter, Esc clears it. */
export function editFilter(s: ViewState, edit: { type: 'char'; ch: string } | { type: 'backspace' } | { type: 'accept' } | { type: 'cancel' }): ViewState {
  if (!s.editing) return s;
  const { pane, draft } = s.editing;
  switch (edit.type) {
    case 'char': return { ...s, editing: { pane, draft: draft + typed(edit.ch) } };
    case 'backspace': return { ...s, editing: { pane, draft: draft.slice(0, -1) } };
    case 'accept':
      return { ...s, editing: null, filters: { ...s.filters, [pane]: draft }, selected: { ...s.selected, [pane]: 0 }, top: { ...s.top, [pane]: 0 } };
    case 'cancel':
      return { ...s, editing: null, filters: { ...s.filters, [pane]: '' } };
  }
}

/**
 * One key press (or, in a prompt, one piece of typed text), interpreted against the state it
 * arrives in: typed into the filter prompt while it is open, else mapped through the keymap. Doing
 * this in the reducer (not in the input handler) means a fast key right after '/' can never be
 * read with a stale state. Several keys read at once: key-chunks.ts.
 */
export function singleKey(s: ViewState, input: string, key: Key, ctx: ViewContext): ViewState {
  if (s.dialog) {
    const o = dialogKey(s.dialog, input, key, ctx.planBox);
    return { ...s, dialog: o.dialog, ...(o.intent ? { intent: o.intent } : {}), ...(o.quit ? { quit: true } : {}) };
  }
  if (s.editing) {
    if (key.return) return editFilter(s, { type: 'accept' });
    if (key.escape) return editFilter(s, { type: 'cancel' });
    if (key.backspace || key.delete) return editFilter(s, { type: 'backspace' });
    if (key.ctrl && input === 'c') return reduce(s, 'quit', ctx);
    if (input && !key.ctrl && !key.meta && !key.tab) return editFilter(s, { type: 'char', ch: input });
    return s;
  }
  const cmd = commandFor(input, key);
  // q closes an overlay (the help, a detail, the timeline) like Esc; Ctrl-C still quits.
  if (cmd === 'quit' && s.overlay && !key.ctrl) return reduce(s, 'close', ctx);
  return cmd ? reduce(s, cmd, ctx) : s;
}

/**
 * The intent was taken: clear it — only if it is still the one taken (a key reduced in between
 * may have set the next one, which must not be lost).
 */
export function clearIntent(s: ViewState, taken: Intent): ViewState {
  return s.intent === taken ? { ...s, intent: null } : s;
}

export function openDialog(s: ViewState, dialog: Dialog | null): ViewState {
  return { ...s, dialog };
}

/** A move that waits for a page: kept, and the page asked for (a read already on its way brings it too). */
function wait(p: PendingMove, s: ViewState): ViewState {
  return { ...s, follow: false, pending: p, intent: intentFor(p) };
}

/**
 * A mailbox page arrived (or none will): the move waiting for it lands, or asks for the next page;
 * without one, the selected message stays selected. `page`: the pane's visible rows.
 */
export function pageArrived(s: ViewState, a: PageArrival, page: number): ViewState {
  const r = afterPage(s.pending, s.selected.mailbox, a);
  const top = a.dir === 'older' && !a.top ? s.top.mailbox + a.count : a.dir === 'newer' ? Math.max(0, s.top.mailbox - a.cut) : s.top.mailbox;
  return {
    ...s, pending: r.pending, intent: r.intent ?? s.intent,
    selected: { ...s.selected, mailbox: r.select },
    top: { ...s.top, mailbox: scrollInto(Math.min(top, r.select), r.select, page, a.total) },
  };
}

/**
 * The list under a pane changed and the item that was selected now sits at `index`: select it
 * there (the selection follows the item, not the row number), scrolled into view.
 */
export function followItem(s: ViewState, pane: PaneId, index: number, page: number, count: number): ViewState {
  if (s.selected[pane] === index) return s;
  return { ...s, selected: { ...s.selected, [pane]: index }, top: { ...s.top, [pane]: scrollInto(s.top[pane], index, page, count) } };
}
