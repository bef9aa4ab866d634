// The one keymap. Input dispatch, the help overlay, the footer and the dialogs' hint lines all read
// this registry, so none of them can drift from the real bindings. The action keys come from the
// action registry (src/actions/registry.ts): one module per action declares its key.
import type { Key } from 'ink';
import type { ActionName } from '../ports/effects.js';
import { ACTION_NAMES, ACTIONS } from '../actions/registry.js';

export type NavCommand =
  | 'quit' | 'help' | 'close'
  | 'focusNext' | 'focusPrev' | 'pane1' | 'pane2' | 'pane3' | 'pane4'
  | 'down' | 'up' | 'pageDown' | 'pageUp' | 'top' | 'bottom'
  | 'open' | 'filter' | 'teamNext' | 'teamPrev'
  | 'ackAlert'
  | 'timeline' | 'postmortem' | 'lesson' | 'timelineFilter' | 'suspend'
  | 'emptyTeams' | 'jumpPane';

/** Keys inside a dialog: a list to pick from, a line of text, a plan to confirm. */
export type DialogCommand = 'pickDown' | 'pickUp' | 'accept' | 'cancel' | 'nextField' | 'prevField' | 'confirmYes' | 'confirmNo'
  | 'planDown' | 'planUp' | 'planPageDown' | 'planPageUp';

export type Command = NavCommand | DialogCommand | `action:${ActionName}`;

export type Scope = 'global' | 'navigation' | 'alerts' | 'actions' | 'history' | 'overlay'
  /** Dialog scopes: the keys a dialog of that kind takes (text dialogs take every other key as text). */
  | 'pick' | 'text' | 'form' | 'confirm' | 'confirmY' | 'confirmTyped' | 'refused';

type KeyName = 'tab' | 'shiftTab' | 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape';

export interface KeySpec {
  /** A printable character (case-sensitive). */
  ch?: string;
  /** A named key. */
  key?: KeyName;
  ctrl?: boolean;
}

export interface Binding {
  command: Command;
  keys: KeySpec[];
  /** How the help shows the keys. */
  label: string;
  description: string;
  scope: Scope;
  /** The binding changes state files (disabled by --readonly). */
  mutating?: boolean;
  /** In a hint line: the keys, shortly ("j", "y / Enter"), and the verb; bindings with one verb are joined. */
  hint?: { keys: string; verb: string };
}

const NAV_BINDINGS: readonly Binding[] = [
  { command: 'focusNext', keys: [{ key: 'tab' }], label: 'Tab', description: 'focus the next pane', scope: 'navigation' },
  { command: 'focusPrev', keys: [{ key: 'shiftTab' }], label: 'Shift-Tab', description: 'focus the previous pane', scope: 'navigation' },
  { command: 'pane1', keys: [{ ch: '1' }], label: '1', description: 'jump to Teammates', scope: 'navigation' },
  { command: 'pane2', keys: [{ ch: '2' }], label: '2', description: 'jump to Tasks', scope: 'navigation' },
  { command: 'pane3', keys: [{ ch: '3' }], label: '3', description: 'jump to Mailbox', scope: 'navigation' },
  { command: 'pane4', keys: [{ ch: '4' }], label: '4', description: 'jump to Alerts', scope: 'navigation' },
  { command: 'down', keys: [{ ch: 'j' }, { key: 'downArrow' }], label: 'j / ↓', description: 'move down', scope: 'navigation' },
  { command: 'up', keys: [{ ch: 'k' }, { key: 'upArrow' }], label: 'k / ↑', description: 'move up', scope: 'navigation' },
  { command: 'pageDown', keys: [{ key: 'pageDown' }, { ch: 'd', ctrl: true }], label: 'PgDn / Ctrl-D', description: 'page down', scope: 'navigation' },
  { command: 'pageUp', keys: [{ key: 'pageUp' }, { ch: 'u', ctrl: true }], label: 'PgUp / Ctrl-U', description: 'page up', scope: 'navigation' },
  { command: 'top', keys: [{ ch: 'g' }, { key: 'home' }], label: 'g / Home', description: 'go to the top', scope: 'navigation' },
  { command: 'bottom', keys: [{ ch: 'G' }, { key: 'end' }], label: 'G / End', description: 'go to the bottom (the mailbox follows new messages again)', scope: 'navigation' },
  { command: 'open', keys: [{ key: 'return' }], label: 'Enter', description: 'open the detail view of the selected row', scope: 'navigation' },
  { command: 'filter', keys: [{ ch: '/' }], label: '/', description: 'filter the focused pane (Enter keeps, Esc clears)', scope: 'navigation' },
  { command: 'ackAlert', keys: [{ ch: 'a' }], label: 'a', description: 'acknowledge the selected alert: hidden until the problem changes (kept in the team directory)', scope: 'alerts' },
  { command: 'timeline', keys: [{ ch: 't' }], label: 't', description: 'timeline: messages, events, teamtop\'s actions and alerts in one chronological list', scope: 'history' },
  { command: 'timelineFilter', keys: [{ ch: 'f' }], label: 'f', description: 'in the timeline: show one teammate at a time (again: the next one, then all)', scope: 'history' },
  { command: 'postmortem', keys: [{ ch: 'P' }], label: 'P', description: 'write a post-mortem report of this team (reports/postmortem-<date>-<team>/ under the state root; the path is shown)', scope: 'history', mutating: true },
  { command: 'lesson', keys: [{ ch: 'L' }], label: 'L', description: 'record a lesson in tasks/lessons.md of the team\'s repo (a short form)', scope: 'history', mutating: true },
  { command: 'teamPrev', keys: [{ ch: '[' }], label: '[', description: 'previous team', scope: 'global' },
  { command: 'teamNext', keys: [{ ch: ']' }], label: ']', description: 'next team', scope: 'global' },
  { command: 'emptyTeams', keys: [{ ch: 'e' }], label: 'e', description: 'show or fold the quiet teams (sessions with no teammate, task or message yet) and teams ended over a day ago', scope: 'global' },
  { command: 'jumpPane', keys: [{ ch: 'p' }], label: 'p', description: 'go to the selected teammate\'s tmux pane (when teamtop runs inside tmux)', scope: 'navigation' },
  { command: 'help', keys: [{ ch: '?' }], label: '?', description: 'show or hide this help', scope: 'global' },
  { command: 'close', keys: [{ key: 'escape' }], label: 'Esc', description: 'close the detail view, help, filter or dialog (cancels an action)', scope: 'overlay' },
  // Handled by the process (src/cli/tui.ts), which must give the terminal back before stopping.
  { command: 'suspend', keys: [{ ch: 'z', ctrl: true }], label: 'Ctrl-Z', description: 'suspend to the shell (fg resumes)', scope: 'global' },
  { command: 'quit', keys: [{ ch: 'q' }, { ch: 'c', ctrl: true }], label: 'q / Ctrl-C', description: 'quit', scope: 'global' },
];

/**
 * Scrolling a plan taller than its box, in each confirmation scope (letters only where nothing is
 * typed: an abort's confirmation is typed). The box's markers name the keys, not the hint line.
 */
const PLAN_SCROLL: readonly Binding[] = (['confirm', 'confirmY', 'refused', 'confirmTyped'] as const).flatMap((scope): Binding[] => {
  const typed = scope === 'confirmTyped';
  return [
    { command: 'planDown', keys: [{ key: 'downArrow' }, ...(typed ? [] : [{ ch: 'j' }])], label: typed ? '↓' : '↓ / j', description: 'show more of the plan', scope },
    { command: 'planUp', keys: [{ key: 'upArrow' }, ...(typed ? [] : [{ ch: 'k' }])], label: typed ? '↑' : '↑ / k', description: 'show the plan\'s start again', scope },
    { command: 'planPageDown', keys: [{ key: 'pageDown' }, ...(typed ? [] : [{ ch: 'd', ctrl: true }])], label: 'PgDn', description: 'a page more of the plan', scope },
    { command: 'planPageUp', keys: [{ key: 'pageUp' }, ...(typed ? [] : [{ ch: 'u', ctrl: true }])], label: 'PgUp', description: 'a page back', scope },
  ];
});

/** How the plan's markers name its scroll keys: "↓/↑ PgDn/PgUp" (the ones every confirmation takes). */
export function planScrollKeys(): string {
  const label = (c: DialogCommand): string => PLAN_SCROLL.find((b) => b.command === c && b.scope === 'confirmTyped')!.label;
  return `${label('planDown')}/${label('planUp')} ${label('planPageDown')}/${label('planPageUp')}`;
}

/** The keys of the action dialogs, with the hint lines they show (each scope on its own). */
export const DIALOG_BINDINGS: readonly Binding[] = [
  ...PLAN_SCROLL,
  { command: 'pickDown', keys: [{ ch: 'j' }, { key: 'downArrow' }], label: 'j / ↓', description: 'the next choice', scope: 'pick', hint: { keys: 'j', verb: 'choose' } },
  { command: 'pickUp', keys: [{ ch: 'k' }, { key: 'upArrow' }], label: 'k / ↑', description: 'the previous choice', scope: 'pick', hint: { keys: 'k', verb: 'choose' } },
  { command: 'accept', keys: [{ key: 'return' }], label: 'Enter', description: 'take this choice and go on', scope: 'pick', hint: { keys: 'Enter', verb: 'continue' } },
  { command: 'cancel', keys: [{ key: 'escape' }], label: 'Esc', description: 'cancel the action', scope: 'pick', hint: { keys: 'Esc', verb: 'cancel' } },
  { command: 'accept', keys: [{ key: 'return' }], label: 'Enter', description: 'take the text and go on', scope: 'text', hint: { keys: 'Enter', verb: 'continue' } },
  { command: 'cancel', keys: [{ key: 'escape' }], label: 'Esc', description: 'cancel the action', scope: 'text', hint: { keys: 'Esc', verb: 'cancel' } },
  { command: 'nextField', keys: [{ key: 'return' }, { key: 'tab' }], label: 'Enter / Tab', description: 'the next field (Enter on the last one saves)', scope: 'form', hint: { keys: 'Enter', verb: 'next field (the last one saves)' } },
  { command: 'prevField', keys: [{ key: 'upArrow' }], label: '↑', description: 'the previous field', scope: 'form', hint: { keys: '↑', verb: 'previous' } },
  { command: 'cancel', keys: [{ key: 'escape' }], label: 'Esc', description: 'cancel', scope: 'form', hint: { keys: 'Esc', verb: 'cancel' } },
  { command: 'confirmYes', keys: [{ ch: 'y' }, { key: 'return' }], label: 'y / Enter', description: 'apply the plan', scope: 'confirm', hint: { keys: 'y / Enter', verb: 'apply' } },
  { command: 'confirmNo', keys: [{ ch: 'n' }, { key: 'escape' }], label: 'n / Esc', description: 'cancel', scope: 'confirm', hint: { keys: 'n / Esc', verb: 'cancel' } },
  // Actions that stop the team take y only: an Enter typed ahead never halts a team.
  { command: 'confirmYes', keys: [{ ch: 'y' }], label: 'y', description: 'apply the plan (Enter does not: it would stop the team)', scope: 'confirmY', hint: { keys: 'y', verb: 'apply' } },
  { command: 'confirmNo', keys: [{ ch: 'n' }, { key: 'escape' }], label: 'n / Esc', description: 'cancel', scope: 'confirmY', hint: { keys: 'n / Esc', verb: 'cancel' } },
  { command: 'confirmYes', keys: [{ key: 'return' }], label: 'Enter', description: 'apply the plan, when the typed id matches', scope: 'confirmTyped', hint: { keys: 'Enter', verb: 'confirm (when the id matches)' } },
  { command: 'cancel', keys: [{ key: 'escape' }], label: 'Esc', description: 'cancel', scope: 'confirmTyped', hint: { keys: 'Esc', verb: 'cancel' } },
  { command: 'cancel', keys: [{ key: 'return' }, { key: 'escape' }, { ch: 'n' }, { ch: 'q' }], label: 'Enter / Esc', description: 'close the refusal', scope: 'refused', hint: { keys: 'Enter or Esc', verb: 'close' } },
];

/** One binding per action that has a key, from the action registry. */
const ACTION_BINDINGS: readonly Binding[] = ACTION_NAMES.flatMap((name): Binding[] => {
  const a = ACTIONS[name];
  if (!a.key) return [];
  return [{ command: `action:${name}`, keys: [{ ch: a.key }], label: a.key, description: `${name}: ${a.keyHelp ?? a.summary}`, scope: 'actions', mutating: true }];
});

/** The keys of the main view (panes and overlays): what the help lists. */
export const BINDINGS: readonly Binding[] = [...NAV_BINDINGS.slice(0, 15), ...ACTION_BINDINGS, ...NAV_BINDINGS.slice(15)];

function matchesSpec(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.key) {
    switch (spec.key) {
      case 'tab': return key.tab && !key.shift;
      case 'shiftTab': return key.tab && key.shift;
      default: return key[spec.key] === true;
    }
  }
  if (spec.ctrl) return key.ctrl && input === spec.ch;
  return !key.ctrl && !key.meta && input === spec.ch;
}

/** The command bound to a key press in the main view (or, given a dialog scope, in that dialog). */
export function commandFor(input: string, key: Key, scope?: Scope): Command | null {
  for (const b of scope ? DIALOG_BINDINGS : BINDINGS) {
    if (scope && b.scope !== scope) continue;
    if (b.keys.some((s) => matchesSpec(s, input, key))) return b.command;
  }
  return null;
}

/** The action an action command starts, or null. */
export function actionOf(cmd: Command): ActionName | null {
  return cmd.startsWith('action:') ? (cmd.slice('action:'.length) as ActionName) : null;
}

/** A hint line for a scope: "j/k choose · Enter continue · Esc cancel". */
export function hintLine(scope: Scope): string {
  const parts: Array<{ keys: string[]; verb: string }> = [];
  for (const b of DIALOG_BINDINGS) {
    if (b.scope !== scope || !b.hint) continue;
    const same = parts.find((p) => p.verb === b.hint!.verb);
    if (same) same.keys.push(b.hint.keys);
    else parts.push({ keys: [b.hint.keys], verb: b.hint.verb });
  }
  return parts.map((p) => `${p.keys.join('/')} ${p.verb}`).join(' · ');
}

const KEYCAPS: Partial<Record<KeyName, string>> = { return: 'Enter', tab: 'Tab', escape: 'Esc' };

/** The first key of a command's binding, as printed on the keycap. */
function keycap(c: Command): string {
  const k = BINDINGS.find((b) => b.command === c)!.keys[0]!;
  return k.ch ?? KEYCAPS[k.key!] ?? k.key!;
}

/** The hint line of an overlay: the help, a detail view, the timeline. */
export function overlayHint(kind: 'help' | 'detail' | 'timeline'): string {
  const scroll = `${keycap('down')}/${keycap('up')}`;
  const ends = `${keycap('top')}/${keycap('bottom')}`;
  const close = `${keycap('close')} close`;
  switch (kind) {
    case 'help': return `${keycap('help')} or ${keycap('close')} closes the help`;
    case 'detail': return `${scroll} scroll · ${ends} top/bottom · ${close}`;
    // The keys first: on a narrow terminal the legend is what gets cut, never how to leave.
    case 'timeline': return `${close} · ${scroll} ${ends} scroll · ${keycap('timelineFilter')} teammate · ▲ alert began · ▼ cleared · ● action · ◆ event`;
  }
}

/** The footer's key hints, from the bindings they name. */
export function footerHint(): string {
  const label = keycap;
  return [
    `${label('focusNext')}/${label('pane1')}-${label('pane4')} pane`,
    `${label('down')}/${label('up')} move`,
    `${label('open')} detail`,
    `${label('filter')} filter`,
    `${label('teamPrev')} ${label('teamNext')} team`,
    `${label('help')} help`,
    `${label('quit')} quit`,
  ].join(' · ');
}

export const SCOPE_TITLES: Record<Scope, string> = {
  navigation: 'Navigation',
  alerts: 'Alerts pane',
  actions: 'Recovery actions (each shows its plan and asks before applying)',
  history: 'Timeline, post-mortem and lessons',
  global: 'Everywhere',
  overlay: 'Views and dialogs',
  pick: 'Choosing in a dialog',
  text: 'Typing in a dialog',
  form: 'Filling in a form',
  confirm: 'Confirming a plan',
  confirmY: 'Confirming a halt',
  confirmTyped: 'Confirming an abort',
  refused: 'A refused action',
};

/** Help sections in display order, generated from the registry. */
/** Keys that exist only where the environment allows them (the help lists them only then). */
export interface Availability {
  /** teamtop runs inside tmux: `p` can go to a teammate's pane. */
  jump?: boolean;
}

export function helpSections(readonly: boolean, available: Availability = {}): Array<{ title: string; rows: Array<{ keys: string; description: string }> }> {
  const order: Scope[] = ['navigation', 'alerts', 'actions', 'history', 'global', 'overlay'];
  return order.map((scope) => ({
    title: SCOPE_TITLES[scope],
    rows: BINDINGS.filter((b) => b.scope === scope && (b.command !== 'jumpPane' || available.jump === true)).map((b) => ({
      keys: b.label,
      description: b.mutating && readonly ? `${b.description} (disabled: --readonly)` : b.description,
    })),
  })).filter((s) => s.rows.length > 0);
}
