// The one keymap. Input dispatch and the help overlay both read this registry, so the help can
// never drift from the real bindings.
import type { Key } from 'ink';

export type Command =
  | 'quit' | 'help' | 'close'
  | 'focusNext' | 'focusPrev' | 'pane1' | 'pane2' | 'pane3' | 'pane4'
  | 'down' | 'up' | 'pageDown' | 'pageUp' | 'top' | 'bottom'
  | 'open' | 'filter' | 'teamNext' | 'teamPrev'
  | 'ackAlert'
  | 'wake' | 'resend' | 'breakCycle' | 'reassign' | 'complete' | 'haltResume' | 'abort' | 'undoAbort'
  | 'timeline' | 'postmortem' | 'lesson' | 'timelineFilter' | 'suspend';

export type Scope = 'global' | 'navigation' | 'alerts' | 'actions' | 'history' | 'overlay';


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
}

export const BINDINGS: readonly Binding[] = [
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
  { command: 'ackAlert', keys: [{ ch: 'a' }], label: 'a', description: 'acknowledge the selected alert: hidden until its evidence changes (kept in the team directory)', scope: 'alerts' },
  { command: 'wake', keys: [{ ch: 'w' }], label: 'w', description: 'wake: send a wake-up to the selected teammate (or the teammate of the selected alert)', scope: 'actions', mutating: true },
  { command: 'resend', keys: [{ ch: 'r' }], label: 'r', description: 'resend every unacknowledged message to the selected teammate, in one batch', scope: 'actions', mutating: true },
  { command: 'breakCycle', keys: [{ ch: 'b' }], label: 'b', description: 'break the dependency cycle of the selected alert or task: pick the edge to remove', scope: 'actions', mutating: true },
  { command: 'reassign', keys: [{ ch: 'R' }], label: 'R', description: 'reassign the selected task (or the teammate\'s task) with a checkpoint: pick the new owner', scope: 'actions', mutating: true },
  { command: 'complete', keys: [{ ch: 'c' }], label: 'c', description: 'complete the selected task as a lead override (asks for the reason)', scope: 'actions', mutating: true },
  { command: 'haltResume', keys: [{ ch: 'h' }], label: 'h', description: 'halt the team, or resume it when halted, and tell everyone', scope: 'actions', mutating: true },
  { command: 'abort', keys: [{ ch: 'A' }], label: 'A', description: 'abort and roll back the team (type the team id to confirm)', scope: 'actions', mutating: true },
  { command: 'undoAbort', keys: [{ ch: 'U' }], label: 'U', description: 'undo the abort of an aborted team: save the current state, then restore the one from before the abort exactly', scope: 'actions', mutating: true },
  { command: 'timeline', keys: [{ ch: 't' }], label: 't', description: 'timeline: messages, events, teamtop\'s actions and alerts in one chronological list', scope: 'history' },
  { command: 'timelineFilter', keys: [{ ch: 'f' }], label: 'f', description: 'in the timeline: show one teammate at a time (again: the next one, then all)', scope: 'history' },
  { command: 'postmortem', keys: [{ ch: 'P' }], label: 'P', description: 'write a post-mortem report of this team (reports/postmortem-<date>-<team>/)', scope: 'history', mutating: true },
  { command: 'lesson', keys: [{ ch: 'L' }], label: 'L', description: 'record a lesson in tasks/lessons.md of the team\'s repo (a short form)', scope: 'history', mutating: true },
  { command: 'teamPrev', keys: [{ ch: '[' }], label: '[', description: 'previous team', scope: 'global' },
  { command: 'teamNext', keys: [{ ch: ']' }], label: ']', description: 'next team', scope: 'global' },
  { command: 'help', keys: [{ ch: '?' }], label: '?', description: 'show or hide this help', scope: 'global' },
  { command: 'close', keys: [{ key: 'escape' }], label: 'Esc', description: 'close the detail view, help, filter or dialog (cancels an action)', scope: 'overlay' },
  // Handled by the process (src/cli/tui.ts), which must give the terminal back before stopping.
  { command: 'suspend', keys: [{ ch: 'z', ctrl: true }], label: 'Ctrl-Z', description: 'suspend to the shell (fg resumes)', scope: 'global' },
  { command: 'quit', keys: [{ ch: 'q' }, { ch: 'c', ctrl: true }], label: 'q / Ctrl-C', description: 'quit', scope: 'global' },
];

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

/** The command bound to a key press, if any. */
export function commandFor(input: string, key: Key): Command | null {
  for (const b of BINDINGS) if (b.keys.some((s) => matchesSpec(s, input, key))) return b.command;
  return null;
}

export function bindingOf(command: Command): Binding {
  const b = BINDINGS.find((x) => x.command === command);
  if (!b) throw new Error(`no binding for ${command}`);
  return b;
}

export const SCOPE_TITLES: Record<Scope, string> = {
  navigation: 'Navigation',
  alerts: 'Alerts pane',
  actions: 'Recovery actions (each shows its plan and asks before applying)',
  history: 'Timeline, post-mortem and lessons',
  global: 'Everywhere',
  overlay: 'Views and dialogs',
};

/** Help sections in display order, generated from the registry. */
export function helpSections(readonly: boolean): Array<{ title: string; rows: Array<{ keys: string; description: string }> }> {
  const order: Scope[] = ['navigation', 'alerts', 'actions', 'history', 'global', 'overlay'];
  return order.map((scope) => ({
    title: SCOPE_TITLES[scope],
    rows: BINDINGS.filter((b) => b.scope === scope).map((b) => ({
      keys: b.label,
      description: b.mutating && readonly ? `${b.description} (disabled: --readonly)` : b.description,
    })),
  })).filter((s) => s.rows.length > 0);
}
