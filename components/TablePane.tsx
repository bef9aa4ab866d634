import React from 'react';
import { Box, Text } from 'ink';
import { contentWidths, displayWidth, fitColumns, headerSegments, rowSegments, wrapLine, type Column, type Segment } from '../src/tui/columns.js';
import { Row } from './Row.js';

export interface TablePaneProps<T> {
  index: number;
  title: string;
  width: number;
  /** Content rows including the column header. */
  rows: number;
  focused: boolean;
  columns: Column[];
  items: readonly T[];
  /** Total before filtering, for the title. */
  total: number;
  selected: number;
  top: number;
  filter: string;
  editing: boolean;
  cells: (item: T) => Record<string, string | Segment>;
  /** Rows to mark (e.g. subjects of the selected alert). */
  highlight?: (item: T) => boolean;
  /** Shown when the pane has no rows; one line per \n (as many as fit). */
  empty: string;
  note?: string;
}

/** Title line + column header + only the visible rows (virtualized). */
export function TablePane<T>(p: TablePaneProps<T>): React.JSX.Element {
  const gutter = 1;
  const visible = Math.max(0, p.rows - 1);
  const top = Math.max(0, Math.min(p.top, Math.max(0, p.items.length - visible)));
  const shown = p.items.slice(top, top + visible);
  // Columns sized from the rows on screen: the spare goes to the text columns.
  const cells = shown.map((item) => p.cells(item));
  const widths = fitColumns(p.columns, Math.max(1, p.width - gutter), contentWidths(cells));
  const count = p.filter ? `${p.items.length}/${p.total}` : `${p.total}`;
  const filterNote = p.filter || p.editing ? `  /${p.filter}${p.editing ? '▏' : ''}` : '';
  const label = ` ${p.index} ${p.title} (${count})${filterNote}${p.note ? `  ${p.note}` : ''} `;
  const fill = Math.max(0, p.width - displayWidth(label) - 1);
  return (
    <Box flexDirection="column" width={p.width} height={p.rows + 1}>
      <Text wrap="truncate-end">
        <Text color={p.focused ? 'cyan' : 'gray'}>─</Text>
        <Text bold inverse={p.focused} color={p.focused ? 'cyan' : undefined}>{label}</Text>
        <Text color={p.focused ? 'cyan' : 'gray'}>{'─'.repeat(fill)}</Text>
      </Text>
      {p.rows > 0 && <Row segments={headerSegments(widths)} />}
      {/* An empty pane's note wraps to the pane (it can say how to get what is missing). */}
      {shown.length === 0 && visible > 0 && p.empty.split('\n').flatMap((l) => wrapLine(l, Math.max(10, p.width - 3))).slice(0, visible).map((line, i) => (
        <Text key={`empty-${i}`} dimColor wrap="truncate-end">{'  '}{line}</Text>
      ))}
      {shown.map((item, i) => {
        const idx = top + i;
        const segs = rowSegments(widths, cells[i]!);
        const marked = p.highlight?.(item) ?? false;
        return (
          <Row
            key={idx}
            segments={marked ? segs.map((s) => ({ ...s, bold: true, color: s.color ?? 'magenta' })) : segs}
            selected={idx === p.selected}
            focused={p.focused}
          />
        );
      })}
    </Box>
  );
}
