// Reading one whole JSON state file with an error that names the file, the line and the problem.
// The file must be a regular file (a FIFO or device is never opened in a way that blocks; a final
// symbolic link is not followed) of at most 64 MiB, nesting at most 64 levels deep.
import type { z } from 'zod';
import { describeZodError } from '../model/schemas.js';
import { readRegularText, stripBom, UnreadableFileError } from './read.js';
import { deeperThan, MAX_DEPTH } from '../safety/json-text.js';

export type ReadResult<T> =
  | { ok: true; value: T; mtimeMs: number; ino: number; text: string }
  | { ok: false; missing: true }
  | { ok: false; missing: false; line: number | null; message: string; text?: string };

/** Line (1-based) of a character position in text. */
export function lineOf(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses JSON; on failure, the line of the error and V8's message. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; line: number | null; message: string } {
  text = stripBom(text);
  try {
    const value: unknown = JSON.parse(text);
    if (nestsDeeperThan(value)) return { ok: false, line: null, message: `nested deeper than ${MAX_JSON_DEPTH} levels: not read` };
    return { ok: true, value };
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const lc = /line (\d+) column (\d+)/.exec(msg);
    let line: number | null = null;
    if (lc) line = Number(lc[1]);
    else if (pos) line = lineOf(text, Number(pos[1]));
    else {
      const at = jsonErrorOffset(text);
      if (at !== null) line = lineOf(text, at);
    }
    // V8 quotes the whole input in some messages; keep the error line short.
    const short = msg.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, "").slice(0, 200);
    return { ok: false, line, message: `invalid JSON: ${short}` };
  }
}

export async function readJsonFile<S extends z.ZodType>(path: string, schema: S): Promise<ReadResult<z.output<S>>> {
  let text: string;
  let mtimeMs: number;
  let ino: number;
  try {
    const r = await readRegularText(path);
    text = r.text;
    mtimeMs = r.st.mtimeMs;
    ino = r.st.ino;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, missing: true };
    if (e instanceof UnreadableFileError) return { ok: false, missing: false, line: null, message: e.message };
    return { ok: false, missing: false, line: null, message: `cannot read: ${(e as Error).message}` };
  }
  const p = parseJson(text);
  if (!p.ok) return { ok: false, missing: false, line: p.line, message: p.message, text };
  const r = schema.safeParse(p.value);
  if (!r.success) {
    const line = lineOfPath(text, r.error.issues[0]?.path ?? []);
    return { ok: false, missing: false, line, message: describeZodError(r.error), text };
  }
  return { ok: true, value: r.data, mtimeMs, ino, text };
}

/**
 * Best-effort line of the value at a zod issue path: walks the text for the n-th array element /
 * key. Good enough for pretty-printed state files; null when it cannot tell.
 */
function lineOfPath(text: string, path: PropertyKey[]): number | null {
  try {
    let pos = 0;
    for (const seg of path) {
      if (typeof seg === 'string') {
        const i = text.indexOf(JSON.stringify(seg) + '', pos);
        if (i < 0) return null;
        pos = i;
      } else if (typeof seg === 'number') {
        // Find the seg-th element of the array starting at or after pos.
        const open = text.indexOf('[', pos);
        if (open < 0) return null;
        let depth = 0;
        let count = 0;
        let inStr = false;
        for (let i = open; i < text.length; i++) {
          const c = text[i];
          if (inStr) {
            if (c === '\\') i++;
            else if (c === '"') inStr = false;
            continue;
          }
          if (c === '"') inStr = true;
          else if (c === '[' || c === '{') {
            depth++;
            if (depth === 2 && count === seg && (c === '{' || c === '[')) { pos = i; break; }
          } else if (c === ']' || c === '}') depth--;
          else if (c === ',' && depth === 1) {
            count++;
            if (count === seg) {
              let j = i + 1;
              while (j < text.length && /\s/.test(text[j]!)) j++;
              pos = j;
              break;
            }
          }
          if (depth === 0 && i > open) return null;
        }
      }
    }
    return lineOf(text, pos);
  } catch {
    return null;
  }
}

/**
 * The offset of the first syntax error in `text`, or null if it is valid JSON. Only called on the
 * error path, because some V8 messages give no position. Iterative: nesting depth costs no stack.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const n = text.length;
  const ws = (): void => { while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++; };
  const str = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < n && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) return false;
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false; i += 5; continue; }
        if (!'"\\/bfnrt'.includes(text[i] ?? '')) return false;
      }
      i++;
    }
    if (i >= n) return false;
    i++;
    return true;
  };
  const scalar = (): boolean => {
    const c = text[i];
    if (c === '"') return str();
    for (const w of ['true', 'false', 'null']) if (text.startsWith(w, i)) { i += w.length; return true; }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') return false;
    i += m[0].length;
    return true;
  };
  // The containers open around the current position: '{' or '['.
  const stack: string[] = [];
  ws();
  for (;;) {
    // Expecting a value.
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) { stack.pop(); i++; } else {
        if (c === '{') {
          if (!str()) return Math.min(i, n);
          ws();
          if (text[i] !== ':') return Math.min(i, n);
          i++;
        }
        continue;
      }
    } else if (!scalar()) return Math.min(i, n);
    // After a value: close containers or go on to the next element.
    for (;;) {
      ws();
      if (stack.length === 0) return i < n ? i : null;
      const top = stack[stack.length - 1]!;
      if (text[i] === ',') {
        i++;
        if (top === '{') {
          ws();
          if (!str()) return Math.min(i, n);
          ws();
          if (text[i] !== ':') return Math.min(i, n);
          i++;
        }
        break;
      }
      if (text[i] === (top === '{' ? '}' : ']')) { stack.pop(); i++; continue; }
      return Math.min(i, n);
    }
  }
}

/** How deeply a state value may nest: deeper values are refused (nothing recursive sees them). */
export const MAX_JSON_DEPTH = MAX_DEPTH;

/** Whether a parsed value nests deeper than `max` arrays/objects (iterative). */
export function nestsDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  return deeperThan(value, max);
}
