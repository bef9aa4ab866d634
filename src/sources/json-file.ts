// Reading one whole JSON state file with an error that names the file, the line and the problem.
import { promises as fsp } from 'node:fs';
import type { z } from 'zod';
import { describeZodError } from '../model/schemas.js';

export type ReadResult<T> =
  | { ok: true; value: T; mtimeMs: number }
  | { ok: false; missing: true }
  | { ok: false; missing: false; line: number | null; message: string };

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
    else if (/Unexpected end of JSON input/.test(msg)) line = lineOf(text, text.length);
    return { ok: false, line, message: `invalid JSON: ${msg}` };
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
  if (!p.ok) return { ok: false, missing: false, line: p.line, message: p.message };
  const r = schema.safeParse(p.value);
  if (!r.success) {
    const line = lineOfPath(text, r.error.issues[0]?.path ?? []);
    return { ok: false, missing: false, line, message: describeZodError(r.error) };
  }
  return { ok: true, value: r.data, mtimeMs };
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
