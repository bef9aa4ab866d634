import React from 'react';
import { Text } from 'ink';
import type { Segment } from '../src/tui/columns.js';
import { styleSegments } from '../src/tui/style.js';

/** One line of fitted segments, drawn as a single styled Text; it never wraps. */
export const Row = React.memo(function Row({ segments, selected, focused }: {
  segments: Segment[];
  selected?: boolean;
  focused?: boolean;
}) {
  const line = styleSegments([{ text: selected ? '▸' : ' ', color: selected ? 'cyan' : undefined }, ...segments]);
  return <Text inverse={selected && focused}>{line}</Text>;
});
