import React from 'react';
import { lineAt, withCursor } from '../src/tui/line-edit.js';
import { Box, Text } from 'ink';
import { dialogHint, type Dialog } from '../src/tui/dialogs.js';
import { sanitize } from '../src/safety/sanitize.js';
import { fit, wrapLine } from '../src/tui/columns.js';

/**
 * The action dialogs, a box drawn over the panes (which stay in view around it): as tall as its
 * text, at most `rows` lines. Every cell inside the border is written (lines are padded), so no
 * pane text shows through.
 */
export function DialogView({ dialog, width, rows }: { dialog: Dialog; width: number; rows: number }): React.JSX.Element {
  const lines: Array<{ text: string; color?: string; bold?: boolean; inverse?: boolean }> = [];
  // What must stay in view however short the box is (the warning, the prompt, the field): kept
  // at the bottom; the plan above it is cut in its middle when it cannot all show.
  const tail: typeof lines = [];
  let title: string;
  const hint = dialogHint(dialog);
  if (dialog.kind === 'pick') {
    title = dialog.title;
    dialog.options.forEach((o, i) => lines.push({ text: `${i === dialog.index ? '▸ ' : '  '}${o.label}`, inverse: i === dialog.index }));
  } else if (dialog.kind === 'prompt') {
    title = dialog.title;
    lines.push({ text: `> ${withCursor(lineAt(dialog.draft, dialog.cursor))}` });
  } else if (dialog.kind === 'form') {
    title = dialog.title;
    dialog.fields.forEach((f, i) => {
      lines.push({ text: `${f.label}:`, bold: i === dialog.index, color: i === dialog.index ? 'cyan' : undefined });
      lines.push({ text: `  > ${i === dialog.index ? withCursor(lineAt(f.value, f.cursor)) : f.value}` });
    });
  } else {
    const p = dialog.plan;
    title = p.refused ? `${p.action}: refused` : `${p.action}${p.args.target ? ` ${p.args.target}` : ''} — this will:`;
    // The team, named: the panes behind the box may show another by the time it is confirmed.
    lines.push({ text: `team ${p.team}`, color: 'gray' });
    for (const l of dialog.lines) lines.push({ text: l, color: l.startsWith('refused') ? 'red' : l.startsWith('note') ? 'yellow' : undefined });
    if (p.touchesRepo && !p.refused) tail.push({ text: '' }, { text: 'This changes the git repository.', color: 'yellow', bold: true });
    if (dialog.expect !== null) {
      tail.push({ text: '' }, { text: `Type the team id (${dialog.expect}) and Enter to confirm:`, bold: true }, { text: `> ${withCursor(lineAt(dialog.typed, dialog.cursor))}`, color: dialog.typed === dialog.expect ? 'green' : undefined });
    }
  }
  const inner = Math.max(10, width - 4);
  const wrap = (ls: typeof lines): typeof lines => ls.flatMap((l) => wrapLine(sanitize(l.text), inner).map((text) => ({ ...l, text })));
  const kept = wrap(tail);
  const wrapped = wrap(lines);
  // Title, a blank line before the hint, the hint, and the border: 5 lines besides the text.
  const room = Math.max(1, rows - 5 - kept.length);
  const more = wrapped.length > room;
  // Cut in the middle: the start (what it is) and the end (the last effects, the message) stay.
  const head = more ? Math.ceil((room - 1) / 2) : wrapped.length;
  const shown = more
    ? [...wrapped.slice(0, head), { text: `… ${wrapped.length - (room - 1)} more lines …`, color: 'gray' }, ...wrapped.slice(wrapped.length - (room - 1 - head))]
    : wrapped;
  const pad = (s: string): string => ` ${fit(s, inner)} `;
  return (
    <Box flexDirection="column" width={width} borderStyle="round" borderColor="cyan">
      <Text bold color="cyan">{pad(sanitize(title))}</Text>
      {shown.map((l, i) => (
        <Text key={i} color={l.color} bold={l.bold} inverse={l.inverse}>{pad(l.text)}</Text>
      ))}
      {kept.map((l, i) => (
        <Text key={`k${i}`} color={l.color} bold={l.bold}>{pad(l.text)}</Text>
      ))}
      <Text>{pad('')}</Text>
      <Text dimColor>{pad(hint)}</Text>
    </Box>
  );
}
