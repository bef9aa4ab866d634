// Small helpers for values read from transcript lines: plain objects, capped strings, and the short
// argument of a tool call shown in the "doing" column.

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A non-negative finite number, or 0 (usage counts from a junk line never poison a total). */
export function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * `s` cut to at most `max` UTF-16 units (ending in "…" when cut, never splitting a surrogate pair),
 * as a fresh string: V8 may keep a slice as a view of its parent, and the parent here can be a
 * megabyte-long field of a parsed line that must not stay alive through the slice.
 */
export function keep(s: string, max: number): string {
  if (s.length <= max) return copy(s);
  let end = max - 1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return copy(s.slice(0, end) + '…');
}

function copy(s: string): string {
  return s.length < 16 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}

/** How long a tool argument is kept (displays cut it further). */
export const TOOL_ARG_MAX = 120;

/** The input field that names what a tool works on, for the tools whose first field is not it. */
const ARG_FIELD: Readonly<Record<string, string>> = {
  Bash: 'command',
  Read: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  Write: 'file_path',
  NotebookEdit: 'notebook_path',
  Grep: 'pattern',
  Glob: 'pattern',
};

/**
 * The short argument of a tool call: Bash its command, Read/Edit/Write the file, Grep/Glob the
 * pattern, any other tool its first string field; capped at TOOL_ARG_MAX. Not sanitized (displays
 * do that); "" when the input has no string.
 */
export function toolArg(tool: string, input: unknown): string {
  if (!isObj(input)) return '';
  const field = Object.hasOwn(ARG_FIELD, tool) ? ARG_FIELD[tool]! : null;
  const preferred = field === null ? null : str(input[field]);
  if (preferred !== null) return keep(preferred, TOOL_ARG_MAX);
  for (const v of Object.values(input)) if (typeof v === 'string' && v !== '') return keep(v, TOOL_ARG_MAX);
  return '';
}

/** The text of a message's content: a string, or its text blocks joined ("" for tool results only). */
export function contentText(content: unknown, max: number): string {
  if (typeof content === 'string') return keep(content, max);
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  let size = 0;
  for (const b of content) {
    if (size > max) break;
    if (isObj(b) && b.type === 'text' && typeof b.text === 'string') {
      parts.push(b.text.length > max ? b.text.slice(0, max + 1) : b.text);
      size += b.text.length + 1;
    }
  }
  return keep(parts.join('\n'), max);
}
