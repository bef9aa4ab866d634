import React from 'react';
import { Text } from 'ink';
import type { Segment } from '../src/tui/columns.js';

/** One line of segments; never wraps. */
export const Row = React.memo(function Row({ segments, selected, focused }: {
  segments: Segment[];
  selected?: boolean;
  focused?: boolean;
}) {
  return (
    <Text wrap="truncate-end" inverse={selected && focused}>
      <Text color={selected ? 'cyan' : undefined}>{selected ? '▸' : ' '}</Text>
      {segments.map((s, i) => (
        <Text key={i} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>{s.text}</Text>
      ))}
    </Text>
  );
});
