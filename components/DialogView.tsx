import React from 'react';
import { Box, Text } from 'ink';
import type { Dialog } from '../src/tui/dialogs.js';
import { sanitize } from '../src/safety/sanitize.js';
import { fit } from '../src/tui/columns.js';
import { dialogLayout } from '../src/tui/dialog-layout.js';

/**
 * The action dialogs, a box drawn over the panes (which stay in view around it): as tall as its
 * text, at most `rows` lines; a plan taller than that scrolls (src/tui/dialog-layout.ts). Every
 * cell inside the border is written (lines are padded), so no pane text shows through.
 */
export function DialogView({ dialog, width, rows }: { dialog: Dialog; width: number; rows: number }): React.JSX.Element {
  const { title, shown, kept, hint } = dialogLayout(dialog, width, rows);
  const inner = Math.max(10, width - 4);
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
