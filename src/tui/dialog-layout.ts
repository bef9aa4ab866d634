// What an action dialog shows, as lines that fit its box: pure, so the reducer can scroll a plan
// by what the box really holds (a plan taller than the box is scrolled, never cut unseen).
import { lineAt, withCursor } from './line-edit.js';
import { dialogHint, planWindow, type Dialog } from './dialogs.js';
import { sanitize, shownId } from '../safety/sanitize.js';
import { wrapLine } from './columns.js';
import { planScrollKeys } from './keymap.js';

export interface DialogLine { text: string; color?: string; bold?: boolean; inverse?: boolean }

export interface DialogLayout {
  title: string;
  /** The body lines in view (with a marker line where more is above or below). */
  shown: DialogLine[];
  /** Lines always in view under the body (the warning, the prompt, the typed id). */
  kept: DialogLine[];
  hint: string;
  /** The body's wrapped lines, and how many fit: a plan with more is scrolled. */
  total: number;
  room: number;
  /** The box cannot show what must stay in view (the typed id, the warning): nothing is confirmed in it. */
  tooSmall?: boolean;
}

/** The box's size besides its text: the title, a blank line, the hint, the border. */
const CHROME = 5;

export function dialogLayout(dialog: Dialog, width: number, rows: number): DialogLayout {
  const lines: DialogLine[] = [];
  const tail: DialogLine[] = [];
  let title: string;
  if (dialog.kind === 'pick') {
    title = dialog.title;
    dialog.options.forEach((o, i) => lines.push({ text: `${i === dialog.index ? '▸ ' : '  '}${o.label}`, inverse: i === dialog.index }));
  } else if (dialog.kind === 'prompt') {
    title = dialog.title;
    lines.push({ text: `> ${withCursor(lineAt(dialog.draft, dialog.cursor))}` });
    if (dialog.missing) lines.push({ text: 'A reason is required: it is recorded with the action.', color: 'yellow' });
  } else if (dialog.kind === 'form') {
    title = dialog.title;
    dialog.fields.forEach((f, i) => {
      lines.push({ text: `${f.label}:`, bold: i === dialog.index, color: i === dialog.index ? 'cyan' : undefined });
      lines.push({ text: `  > ${i === dialog.index ? withCursor(lineAt(f.value, f.cursor)) : sanitize(f.value)}` });
    });
  } else {
    const p = dialog.plan;
    title = p.refused ? `${p.action}: refused` : `${p.action}${p.args.target ? ` ${shownId(String(p.args.target))}` : ''} — this will:`;
    // The team, named: the panes behind the box may show another by the time it is confirmed.
    lines.push({ text: `team ${p.team}`, color: 'gray' });
    for (const l of dialog.lines) lines.push({ text: l, color: l.startsWith('refused') ? 'red' : l.startsWith('note') ? 'yellow' : undefined });
    if (p.touchesRepo && !p.refused) tail.push({ text: '' }, { text: 'This changes the git repository.', color: 'yellow', bold: true });
    if (dialog.expect !== null) {
      tail.push({ text: '' }, { text: `Type the team id (${shownId(dialog.expect)}) and Enter to confirm:`, bold: true }, { text: `> ${withCursor(lineAt(dialog.typed, dialog.cursor), shownId)}`, color: dialog.typed === dialog.expect ? 'green' : undefined });
      if (dialog.mismatch) tail.push({ text: `That is not the team id: type ${shownId(dialog.expect)} exactly.`, color: 'yellow' });
    }
  }
  const inner = Math.max(10, width - 4);
  const wrap = (ls: DialogLine[]): DialogLine[] => ls.flatMap((l) => wrapLine(sanitize(l.text), inner).map((text) => ({ ...l, text })));
  let kept = wrap(tail);
  const body = wrap(lines);
  let room = Math.max(1, rows - CHROME - kept.length);
  if (dialog.kind === 'confirm' && !dialog.plan.refused && body.length > room) {
    // A plan taller than its box says so from the start (the box keeps one size while it is open,
    // so what was counted as seen is what was drawn); louder once a confirmation came too early.
    const warn = wrap([{ text: '' }, { text: `Every step must be seen before it is applied: ${planScrollKeys()} to read on.`, color: 'yellow', bold: dialog.unseen === true }]);
    kept = [...warn, ...kept];
    room = Math.max(1, rows - CHROME - kept.length);
  }
  const hint = dialogHint(dialog);
  if (dialog.kind === 'confirm' && !dialog.plan.refused && rows < CHROME + kept.length + 1) {
    // Not even one line of the plan beside what must stay in view: say so, confirm nothing.
    const say = wrap([{ text: 'The terminal is too small to show this plan: make it taller (or use teamtop act).', color: 'yellow', bold: true }]);
    return { title, shown: say.slice(0, Math.max(1, rows - CHROME)), kept: [], hint: 'Esc cancel', total: body.length, room, tooSmall: true };
  }
  if (body.length <= room) return { title, shown: body, kept, hint, total: body.length, room };
  if (dialog.kind === 'confirm') {
    // A plan scrolls: markers say what is above and below, and how to see it.
    const w = planWindow(dialog.scroll ?? 0, { total: body.length, room });
    const view = body.slice(w.from, w.from + w.count);
    const marker = (n: number, dir: string): DialogLine => ({ text: `${dir} ${n} more line${n === 1 ? '' : 's'} (${planScrollKeys()}) ${dir}`, color: 'gray' });
    const shown = [
      ...(w.above ? [marker(w.from, '↑')] : []),
      ...view,
      ...(w.below ? [marker(body.length - w.from - view.length, '↓')] : []),
    ];
    return { title, shown, kept, hint, total: body.length, room };
  }
  // A long list to pick from: cut in the middle (the start and the end stay).
  const head = Math.ceil((room - 1) / 2);
  const shown = [...body.slice(0, head), { text: `… ${body.length - (room - 1)} more lines …`, color: 'gray' }, ...body.slice(body.length - (room - 1 - head))];
  return { title, shown, kept, hint, total: body.length, room };
}
