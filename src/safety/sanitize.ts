import { jsonText } from './json-text.js';
import { DRAWN_DIFFERENTLY, emojiBase, settleWidths } from './width.js';

// Text from state files is untrusted: agents wrote it. Nothing from a file may reach the terminal
// with its escape sequences or control characters intact. Two renderings:
//  - sanitize(): for cells and one-line views; whole escape sequences, controls and the invisible
//    and formatting characters that terminals draw differently (UNSTABLE below) are removed (\n and
//    \t become spaces).
//  - reveal(): for detail views; every removed character is shown visibly (␛, \x9b, <U+202E>,
//    <U+00AD>) so the lead can see that a string was hostile rather than have it silently changed.

// The one definition of the characters that must not reach a terminal or a file name as they are:
// C0 controls (\t and \n allowed where lines are kept), DEL, C1 controls (U+0080–U+009F), and
// UNSTABLE below.
const C0_BUT_TAB_LF = '\\u0000-\\u0008\\u000b-\\u001f';
const C0 = '\\u0000-\\u001f';
const DEL_C1 = '\\u007f-\\u009f';
/**
 * Characters whose width teamtop's measurement (string-width, which also lays out Ink's frames) and
 * terminals disagree on, so a row holding one is drawn wider (or narrower) than it was laid out, and
 * wraps and scrolls the screen. string-width counts every Default_Ignorable and every format (Cf)
 * code point as 0 columns, but terminals draw some: U+00AD (soft hyphen) takes 1 column, the Hangul
 * fillers U+115F and U+3164 take 2 and U+FFA0 1, the Arabic and Kaithi number signs (U+0600–0605,
 * U+06DD, U+110BD…) 1, and reserved ones (U+FFF0–FFF8, U+E0080–E0FFF) a box in some terminals. It
 * counts the line and paragraph separators U+2028/2029 as 1 where terminals draw nothing. The class
 * also holds the bidi embeddings, overrides, isolates and marks, which reorder what the terminal
 * shows, and the zero-width characters that can hide text (U+200B, U+2060, U+FEFF, the tags…).
 * Inside an RGI emoji (👨‍👩‍👧, ❤️, 1️⃣, 🏴󠁧󠁢󠁳󠁣󠁴󠁿) the joiner U+200D, U+FE0F and the tags are not
 * hidden text but how the emoji is drawn: reveal() drops them silently there (width.ts says why
 * they go), and shows them everywhere else.
 */
const UNSTABLE = '\\p{Default_Ignorable_Code_Point}\\p{Cf}\\u2028\\u2029';
const UNSTABLE_ONE = new RegExp(`[${UNSTABLE}]`, 'u');
const UNSTABLE_ALL = new RegExp(`[${UNSTABLE}]`, 'gu');
/** What an emoji sequence uses from UNSTABLE: the joiner, U+FE0F, the tags. */
const EMOJI_PART = /\u200d|\ufe0f|[\u{e0020}-\u{e007f}]/u;
const EMOJI_PARTS = new RegExp(EMOJI_PART.source, 'gu');
/**
 * A run of emoji characters and components (every character of an RGI emoji is one), or one
 * UNSTABLE character: a run is looked into only when it holds an EMOJI_PART.
 */
const RUN_OR_UNSTABLE = new RegExp(`[\\p{Emoji}\\p{Emoji_Component}]+|[${UNSTABLE}]`, 'gu');
/** What an RGI emoji starts with. */
const EMOJI_START = /^\p{Emoji}/u;
/** An RGI emoji at lastIndex, the longest one there. (`v`: the class of strings is ES2024.) */
const RGI_EMOJI_AT = new RegExp('\\p{RGI_Emoji}', 'vy');
/** The most UTF-16 units an RGI emoji takes (a family with skin tones: 35). */
const RGI_MAX = 40;
/**
 * RGI_EMOJI_AT is slow (about 1–5 µs a try): a text tries it this often at most, so a hostile text
 * of emoji and joiners costs time linear in its length; joiners after that are dropped (the emoji
 * then show one by one, as both string-width and terminals measure them).
 */
const RGI_TRIES = 1000;
const UNSAFE = new RegExp(`[${C0_BUT_TAB_LF}${DEL_C1}]`, 'g');
const UNSAFE_ONE_LINE = new RegExp(`[${C0}${DEL_C1}]`, 'g');
const HAS_UNSAFE = new RegExp(`[${C0_BUT_TAB_LF}${DEL_C1}${UNSTABLE}${DRAWN_DIFFERENTLY}]`, 'u');
const CONTROL = new RegExp(`[${C0}${DEL_C1}]`);
const CONTROL_RUNS = new RegExp(`[${C0}${DEL_C1}]+`, 'g');
const RAW_IN_JSON = new RegExp(`[${DEL_C1}]`, 'g');

/** `U+XXXX` */
function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * `s` with every UNSTABLE character replaced by `by(ch)`, except those inside an RGI emoji: an RGI
 * emoji is kept whole, or reduced to its base characters with `base` (what reaches a terminal).
 */
function replaceUnstable(s: string, by: (ch: string) => string, base = false): string {
  if (!UNSTABLE_ONE.test(s)) return s;
  if (!EMOJI_PART.test(s)) return s.replace(UNSTABLE_ALL, by);
  let tries = RGI_TRIES;
  const at = (run: string, i: number): string => String.fromCodePoint(run.codePointAt(i)!);
  return s.replace(RUN_OR_UNSTABLE, (run: string) => {
    if (run.length === 1 || !EMOJI_PART.test(run)) return run.replace(UNSTABLE_ALL, by);
    // A run is made of emoji characters and components: the only UNSTABLE ones in it are the
    // EMOJI_PARTs. Each is kept when an RGI emoji starting at most RGI_MAX units before it holds
    // it, else replaced; between them the run is copied as it is (linear in the run's length).
    let out = '';
    let i = 0;
    for (const m of run.matchAll(EMOJI_PARTS)) {
      const q = m.index;
      if (q < i) continue; // inside an emoji already kept
      const from = Math.max(i, q - RGI_MAX);
      out += run.slice(i, from);
      i = from;
      while (i <= q) {
        let emoji: string | null = null;
        if (tries > 0 && EMOJI_START.test(at(run, i))) {
          tries--;
          RGI_EMOJI_AT.lastIndex = i;
          emoji = RGI_EMOJI_AT.exec(run)?.[0] ?? null;
        }
        const next = emoji ?? at(run, i);
        out += emoji !== null ? (base ? emojiBase(emoji) : emoji) : !UNSTABLE_ONE.test(next) ? next : by(next);
        i += next.length;
      }
    }
    return out + run.slice(i);
  });
}

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

/**
 * Text that is not drawn in a cell but written (a typed reason, a commit message): escape
 * sequences, control characters and UNSTABLE ones (invisible, formatting, bidi) removed, but an
 * RGI emoji kept whole and no width settled, so what was typed is what is written. \n and \t
 * become spaces unless `multiline`. It is sanitized where it is drawn.
 */
export function cleanText(text: string, multiline = false): string {
  return replaceUnstable(withoutControls(text, multiline), () => '');
}

/** `text` without its escape sequences and control characters (\n and \t spaces unless `multiline`). */
function withoutControls(text: string, multiline: boolean): string {
  const stripped = text.replace(SEQUENCE, '');
  return multiline ? stripped.replace(UNSAFE, '') : stripped.replace(/[\n\t]/g, ' ').replace(UNSAFE_ONE_LINE, '');
}

/**
 * Removes escape sequences, control characters and UNSTABLE ones (U+2028/2029 become a line break,
 * or a space on one line), and settles what terminals draw at another width (width.ts: an emoji's
 * presentation characters go, a character the terminal cannot draw as measured becomes U+FFFD).
 * `multiline` keeps \n and \t.
 */
export function sanitize(text: string, multiline = false): string {
  if (!HAS_UNSAFE.test(text) && (multiline || !/[\n\t]/.test(text))) return text;
  // Every UNSTABLE character goes, inside an emoji too (width.ts): no emoji needs to be found.
  const kept = withoutControls(text, multiline).replace(UNSTABLE_ALL, (ch) => (isLineSeparator(ch) ? (multiline ? '\n' : ' ') : ''));
  return settleWidths(kept, () => '\ufffd');
}

const isLineSeparator = (ch: string): boolean => ch === '\u2028' || ch === '\u2029';

/**
 * Shows every unsafe character visibly instead of dropping it (UNSTABLE ones as <U+00AD>, an RGI
 * emoji as its base characters, a character the terminal draws at another width as <U+1FAE8>).
 * Keeps \n (and \t as spaces).
 */
export function reveal(text: string): string {
  const shown = replaceUnstable(showControls(text), showCodePoint, true);
  return settleWidths(shown, showCodePoint).replace(/\t/g, '  ');
}

/**
 * Every unsafe character shown, and nothing else changed: RGI emoji stay whole, widths are not
 * settled. For text that is not drawn in a cell but must keep apart what differs (a Prometheus
 * label: two ids differing in a hidden character stay two series).
 */
export function revealExact(text: string): string {
  return replaceUnstable(showControls(text), showCodePoint).replace(/\t/g, '  ');
}

/** Control characters as pictures (␛, ␀…␟, ␡) or \x85; \n is kept. */
function showControls(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const c = ch.codePointAt(0)!;
    if (c === 0x1b) return '␛';
    if (c < 0x20) return String.fromCodePoint(0x2400 + c); // control pictures ␀..␟
    if (c === 0x7f) return '␡';
    return `\\x${c.toString(16)}`;
  });
}

const showCodePoint = (ch: string): string => `<${codePointName(ch)}>`;

/**
 * An id as a one-line cell shows it: as it is when clean, else with what is wrong in it shown
 * (`tm_api␛[31m`, `tm<U+00AD>api`), so an id with hidden characters never looks like the real one
 * beside it (a message "from tm_api" spoofed with an escape sequence).
 */
export function shownId(id: string): string {
  // Written in parts (cafe + U+0301, not café): the same on screen as the composed id, so the parts show.
  const decomposed = COMBINING.test(id) && id.normalize('NFC') !== id;
  if (!HAS_UNSAFE.test(id) && !ODD_SPACE.test(id) && !decomposed) return id;
  // Spaces that make two ids look alike: at either end (␠), or any but the plain one (<U+00A0>).
  const spaced = id.replace(/^ +| +$/g, (m) => '\u2420'.repeat(m.length))
    .replace(/[^\S ]/gu, (c) => (c === '\n' ? '\u240a' : c === '\t' ? '\u2409' : `<${codePointName(c)}>`))
    .replace(decomposed ? COMBINING_ALL : /(?!)/g, showCodePoint);
  // Nothing that tells two ids apart is dropped or reduced: inside an emoji too, every UNSTABLE
  // character, skin tone, keycap and indicator that makes no flag is shown.
  return settleWidths(showControls(spaced).replace(UNSTABLE_ALL, showCodePoint), showCodePoint, true);
}

/** Whitespace other than a plain space inside the text. */
const ODD_SPACE = /^ | $|[^\S ]/u;
const COMBINING = /\p{M}/u;
const COMBINING_ALL = /\p{M}/gu;

/** Any value from a state file as one safe line, however deeply it nests. */
export function safeLine(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return sanitize(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return sanitize(jsonText(v));
}

/**
 * JSON for machine output that is also safe to print on a terminal: JSON.stringify escapes C0
 * controls but leaves C1 and UNSTABLE characters raw, so escape those too (still valid JSON; the
 * RGI emoji stay whole).
 */
export function safeJson(v: unknown, indent?: number): string {
  // A code point beyond the BMP as its surrogate pair (\\udb40\\udc41), as JSON spells it.
  const escape = (ch: string): string => ch.split('').map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  return replaceUnstable(JSON.stringify(v, null, indent).replace(RAW_IN_JSON, escape), escape);
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
/**
 * The start of `t` sanitized, at least `max` characters of it once sanitized when `t` has them (a row
 * shows no more): the raw prefix looked at grows until it yields that many, up to 64 times `max`
 * (what hides the rest of a text behind more invisible characters than that shows as empty; the
 * detail view shows it whole). A prefix never ends inside a surrogate pair.
 */
export function sanitizePrefix(t: string, max: number): string {
  if (t.length <= max) return sanitize(t);
  for (let n = max; ; n *= 4) {
    let cut = t.slice(0, n);
    if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
    const out = sanitize(cut);
    if (out.length >= max || n >= t.length || n >= max * 64) return out;
  }
}

export function payloadLine(p: unknown, max = Infinity): string {
  // A row never shows more than `max` characters: only the start is sanitized.
  const line = (t: string): string => (max === Infinity ? sanitize(t) : sanitizePrefix(t, max));
  if (p === undefined || p === null) return '';
  if (typeof p === 'string') return line(p);
  if (typeof p === 'object' && !Array.isArray(p)) {
    const o = p as Record<string, unknown>;
    for (const k of ['text', 'message', 'summary', 'content']) if (typeof o[k] === 'string') return line(o[k]);
  }
  return typeof p === 'number' || typeof p === 'boolean' ? String(p) : line(jsonText(p));
}
