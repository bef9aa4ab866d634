// Editing one line of text as terminals do (readline's keys): ←/→, Home/End, Ctrl-A/E (start,
// end), Ctrl-U/K (delete to start / to end), Ctrl-W (the word before), Backspace, and typed or
// pasted text at the cursor (kept as typed but for escape sequences, controls and invisible
// characters outside an emoji — cleanText —, so a typed id matches the id and a reason is written as
// typed; drawn sanitized). Pure: a line and a
// key in, the edited line out. @inkjs/ui's TextInput was considered: it reads keys with its own
// useInput, and teamtop's keys all go through one reducer (the keymap, chunked reads, dialogs).
import type { Key } from 'ink';
import { sanitize, cleanText } from '../safety/sanitize.js';

export interface Line {
  text: string;
  /** Code-point index of the cursor, 0..length. */
  cursor: number;
}

const points = (s: string): string[] => [...s];

/** A line with the cursor at its end (where typing resumes). */
export const lineAt = (text: string, cursor?: number): Line => ({ text, cursor: cursor ?? points(text).length });

/** The edited line, or null when the key is not an editing key. */
export function editLine(l: Line, input: string, key: Key): Line | null {
  const cs = points(l.text);
  const c = Math.max(0, Math.min(l.cursor, cs.length));
  const at = (chars: string[], cursor: number): Line => ({ text: chars.join(''), cursor });
  if (key.leftArrow) return at(cs, Math.max(0, c - 1));
  if (key.rightArrow) return at(cs, Math.min(cs.length, c + 1));
  if (key.home || (key.ctrl && input === 'a')) return at(cs, 0);
  if (key.end || (key.ctrl && input === 'e')) return at(cs, cs.length);
  if (key.ctrl && input === 'u') return at(cs.slice(c), 0);
  if (key.ctrl && input === 'k') return at(cs.slice(0, c), c);
  if (key.ctrl && input === 'w') {
    let i = c;
    while (i > 0 && /\s/.test(cs[i - 1]!)) i--;
    while (i > 0 && !/\s/.test(cs[i - 1]!)) i--;
    return at([...cs.slice(0, i), ...cs.slice(c)], i);
  }
  if (key.backspace || key.delete) return c === 0 ? at(cs, 0) : at([...cs.slice(0, c - 1), ...cs.slice(c)], c - 1);
  if (input && !key.ctrl && !key.meta && !key.tab) {
    const add = points(cleanText(input));
    return at([...cs.slice(0, c), ...add, ...cs.slice(c)], c + add.length);
  }
  return null;
}

/**
 * The line as drawn (sanitized: it reaches the terminal; `show` is shownId for a typed id, so what
 * tells it apart shows as it is typed), the cursor a thin bar where it is.
 */
export function withCursor(l: Line, show: (s: string) => string = sanitize): string {
  const cs = points(l.text);
  const c = Math.max(0, Math.min(l.cursor, cs.length));
  return `${show(cs.slice(0, c).join(''))}▏${show(cs.slice(c).join(''))}`;
}
