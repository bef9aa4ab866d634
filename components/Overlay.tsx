import { sanitize } from '../src/safety/sanitize.js';
import React from 'react';
import { Box, Text } from 'ink';
import type { DetailLine } from '../src/tui/details.js';
import { wrapLine } from '../src/tui/columns.js';

/**
 * A full-width scrolling text view (detail records and the help). The lines were made safe by
 * their builders; rows are cut to the width, never wrapped.
 */
export function Overlay({ title, lines, scroll, width, rows, hint, unit }: {
  title: string;
  /** What the position counts, when the title counts something else (the help counts keys). */
  unit?: string;
  lines: readonly DetailLine[];
  scroll: number;
  width: number;
  /** Rows available including the title line. */
  rows: number;
  hint: string;
}): React.JSX.Element {
  const body = Math.max(0, rows - 2);
  const wrapped = React.useMemo(
    () => lines.flatMap((l) => wrapLine(l.text, width, l.hang).map((text) => ({ ...l, text }))),
    [lines, width],
  );
  lines = wrapped;
  const maxTop = Math.max(0, lines.length - body);
  const top = Math.min(scroll, maxTop);
  const shown = lines.slice(top, top + body);
  const pos = lines.length > body ? `${unit ? ` · ${unit}` : ''} ${top + 1}-${Math.min(lines.length, top + body)}/${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width} height={rows}>
      {/* Titles name ids from state files: sanitized here too, whatever built them. */}
      <Text wrap="truncate-end" bold inverse color="cyan">{` ${sanitize(title)}${pos} `.padEnd(width)}</Text>
      {shown.map((l, i) => (
        <Text key={top + i} wrap="truncate-end" bold={l.bold} color={l.color}>{l.text || ' '}</Text>
      ))}
      <Box flexGrow={1} />
      <Text wrap="truncate-end" dimColor>{hint}</Text>
    </Box>
  );
}
