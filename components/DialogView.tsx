import React from 'react';
import { Box, Text } from 'ink';
import { sanitize } from '../src/safety/sanitize.js';
import { fit } from '../src/tui/columns.js';
import type { DialogLayout } from '../src/tui/dialog-layout.js';

/**
 * The action dialogs, a box drawn over the panes (which stay in view around it): the lines of its
 * layout (src/tui/dialog-layout.ts: as tall as its text, at most the rows it was laid out for; a
 * plan taller than that scrolls). Every
 * cell inside the border is written (lines are padded), so no pane text shows through.
 */
export function DialogView({ layout, width }: { layout: DialogLayout; width: number }): React.JSX.Element {
  const { title, shown, kept, hint } = layout;
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
