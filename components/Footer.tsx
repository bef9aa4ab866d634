import React from 'react';
import { Text } from 'ink';
import type { StateError } from '../src/model/types.js';
import { sanitize } from '../src/safety/sanitize.js';
import { footerHint } from '../src/tui/keymap.js';

const FOOTER = footerHint();

/** One line: the filter prompt, a transient message, the newest state error, or key hints. */
export function Footer({ editing, message, errors }: {
  editing: { pane: string; draft: string } | null;
  message: string | null;
  errors: readonly StateError[];
}): React.JSX.Element {
  if (editing) {
    return (
      <Text wrap="truncate-end">
        <Text color="cyan" bold>{`filter ${editing.pane}: `}</Text>
        <Text>{sanitize(editing.draft)}</Text>
        <Text inverse> </Text>
        <Text dimColor>  Enter keep · Esc clear</Text>
      </Text>
    );
  }
  if (message) return <Text wrap="truncate-end" color="yellow">{sanitize(message)}</Text>;
  if (errors.length > 0) {
    const e = [...errors].sort((a, b) => b.at - a.at)[0]!;
    const where = e.line !== null ? `${e.file}:${e.line}` : e.file;
    const more = errors.length > 1 ? ` (+${errors.length - 1} more in Alerts)` : '';
    return (
      <Text wrap="truncate-end" color="red">
        {`⚠ ${sanitize(where)}: ${sanitize(e.message)} — showing last good data${more}`}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" dimColor>{FOOTER}</Text>
  );
}
