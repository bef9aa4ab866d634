// Reading one whole JSON state file with an error that names the file, the line and the problem.
import { promises as fsp } from 'node:fs';
import type { z } from 'zod';
import { describeZodError } from '../model/schemas.js';

export type ReadResult<T> =
  | { ok: true; value: T; mtimeMs: number; text: string }
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
  try {
    return { ok: true, value: JSON.parse(text) };
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
  try {
    const [t, st] = await Promise.all([fsp.readFile(path, 'utf8'), fsp.stat(path)]);
    text = t;
    mtimeMs = st.mtimeMs;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, missing: true };
    return { ok: false, missing: false, line: null, message: `cannot read: ${(e as Error).message}` };
  }
  const p = parseJson(text);
  if (!p.ok) return { ok: false, missing: false, line: p.line, message: p.message, text };
  const r = schema.safeParse(p.value);
  if (!r.success) {
    const line = lineOfPath(text, r.error.issues[0]?.path ?? []);
    return { ok: false, missing: false, line, message: describeZodError(r.error), text };
  }
  return { ok: true, value: r.data, mtimeMs, text };
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
 * error path, because some V8 messages give no position.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const ws = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++; };
  const fail = (): never => { throw i; };
  const lit = (w: string): void => { if (text.startsWith(w, i)) i += w.length; else fail(); };
  const str = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail(); i += 5; continue; }
        if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const num = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws(); str(); ws();
        if (text[i] !== ':') fail();
        i++; value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail();
      }
    } else if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value();
    ws();
    return i < text.length ? i : null;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : null;
  }
}
