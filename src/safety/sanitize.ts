import { jsonText } from './json-text.js';

// Text from state files is untrusted: agents wrote it. Nothing from a file may reach the terminal
// with its escape sequences or control characters intact. Two renderings:
//  - sanitize(): for cells and one-line views; whole escape sequences and controls are removed
//    (\n and \t become spaces).
//  - reveal(): for detail views; every removed byte is shown visibly (␛, \x9b, <U+202E>) so the
//    lead can see that a string was hostile rather than have it silently changed.

// The one definition of the characters that must not reach a terminal or a file name as they are:
// C0 controls (\t and \n allowed where lines are kept), DEL, C1 controls (U+0080–U+009F), and bidi
// embedding/override/isolate controls that can reorder what the terminal shows.
const C0_BUT_TAB_LF = '\\u0000-\\u0008\\u000b-\\u001f';
const C0 = '\\u0000-\\u001f';
const DEL_C1 = '\\u007f-\\u009f';
const BIDI = '\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c';
const UNSAFE = new RegExp(`[${C0_BUT_TAB_LF}${DEL_C1}${BIDI}]`, 'g');
const UNSAFE_ONE_LINE = new RegExp(`[${C0}${DEL_C1}${BIDI}]`, 'g');
const HAS_UNSAFE = new RegExp(`[${C0_BUT_TAB_LF}${DEL_C1}${BIDI}]`);
const CONTROL = new RegExp(`[${C0}${DEL_C1}]`);
const CONTROL_RUNS = new RegExp(`[${C0}${DEL_C1}]+`, 'g');
const RAW_IN_JSON = new RegExp(`[${DEL_C1}${BIDI}]`, 'g');

/** Whether `s` holds a C0 or C1 control character (or DEL). */
export function hasControl(s: string): boolean {
  return CONTROL.test(s);
}

/** `s` on one line: every run of control characters becomes a space. */
export function oneLine(s: string): string {
  return s.replace(CONTROL_RUNS, ' ').trim();
}

/** `s`, cut to `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * Whole escape sequences (ECMA-48), 7-bit (ESC x) and 8-bit (C1) forms, so that what a sequence
 * carries — a window title, a hyperlink's URI, a clipboard payload — goes with it instead of being
 * left behind as text:
 *  - control strings: OSC (ESC ] / 0x9D), DCS (ESC P / 0x90), SOS (ESC X / 0x98), PM (ESC ^ / 0x9E),
 *    APC (ESC _ / 0x9F), up to BEL or ST (ESC \ / 0x9C). Unterminated ones are not removed whole:
 *    only the introducer goes (below), and the rest stays visible.
 *  - CSI (ESC [ / 0x9B): parameter bytes, intermediate bytes, final byte.
 *  - other escapes: ESC, intermediate bytes, one final byte (ESC ( B, ESC 7, ESC c, ...).
 * Whatever is left (a lone ESC, BEL, a stray C1) is removed by UNSAFE afterwards.
 */
const SEQUENCE = new RegExp(
  /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)/.source
  + '|' + /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]/.source
  + '|' + /\u001b[\u0020-\u002f]*[\u0030-\u007e]/.source,
  'g',
);

/** Removes escape sequences and control characters. `multiline` keeps \n and \t. */
export function sanitize(text: string, multiline = false): string {
  if (!HAS_UNSAFE.test(text) && (multiline || !/[\n\t]/.test(text))) return text;
  const stripped = text.replace(SEQUENCE, '');
  if (multiline) return stripped.replace(UNSAFE, '');
  return stripped.replace(/[\n\t]/g, ' ').replace(UNSAFE_ONE_LINE, '');
}

/** Shows every unsafe character visibly instead of dropping it. Keeps \n (and \t as spaces). */
export function reveal(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const c = ch.codePointAt(0)!;
    if (c === 0x1b) return '␛';
    if (c < 0x20) return String.fromCodePoint(0x2400 + c); // control pictures ␀..␟
    if (c === 0x7f) return '␡';
    if (c <= 0x9f) return `\\x${c.toString(16)}`;
    return `<U+${c.toString(16).toUpperCase().padStart(4, '0')}>`;
  }).replace(/\t/g, '  ');
}

/** Any value from a state file as one safe line, however deeply it nests. */
export function safeLine(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return sanitize(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return sanitize(jsonText(v));
}

/**
 * JSON for machine output that is also safe to print on a terminal: JSON.stringify escapes C0
 * controls but leaves C1 and bidi controls raw, so escape those too (still valid JSON).
 */
export function safeJson(v: unknown, indent?: number): string {
  return JSON.stringify(v, null, indent).replace(
    RAW_IN_JSON,
    (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

/** A file name read as bytes, for messages: UTF-8 where it is, \xNN escapes for the bytes that are not. */
export function printableName(name: Buffer): string {
  const text = name.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(name)) return text;
  return [...name].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

/**
 * A message payload as one line: a string as it is; an object by its text, message, summary or
 * content field (what a person wrote), with its other fields left to the detail view; else JSON.
 */
export function payloadLine(p: unknown): string {
  if (p === undefined || p === null) return '';
  if (typeof p === 'string') return safeLine(p);
  if (typeof p === 'object' && !Array.isArray(p)) {
    const o = p as Record<string, unknown>;
    for (const k of ['text', 'message', 'summary', 'content']) if (typeof o[k] === 'string') return safeLine(o[k]);
  }
  return safeLine(p);
}
