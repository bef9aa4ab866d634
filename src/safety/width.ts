// Text is laid out with string-width (Ink's frames, the tables) and drawn by the terminal (tmux,
// where the lead runs teamtop). Where the two disagree on how many columns a character takes, a row
// is drawn wider than it was laid out and wraps, scrolling the whole frame, or narrower, shifting
// what follows it. sanitize() and reveal() pass text through here, after removing controls and the
// UNSTABLE class, so that every character left is drawn as wide as it was measured. Measured in tmux
// 3.3a (scripts/width-probe.mjs; test/width-tmux.test.ts checks the result):
//  - emoji sequences: tmux draws a skin-tone modifier as a 2-column emoji of its own after its base
//    (👍🏽 is 4 columns, string-width says 2), ignores U+FE0F (❤️ is 1, string-width says 2), draws
//    the character after a joiner U+200D inside the one before (🏳️‍🌈 is 1), draws a keycap 1️⃣ as 1,
//    and two regional indicators that are not a flag as 2 (string-width: 1). Each is drawn the same
//    by every terminal once reduced to its base characters: the presentation characters (U+FE0F,
//    the joiner, the tags, the modifiers, U+20E3) go, and indicators that do not pair into a flag
//    become the letters they stand for. 👨‍👩‍👧 shows as 👨👩👧, ❤️ as ❤, a flag stays a flag.
//  - single code points listed in width-table.ts (scripts/width-sweep.mjs): recent emoji, scripts and
//    ideographs the terminal's tables do not know (drawn 0 columns wide), a few whose width changed
//    or is ambiguous. They become U+FFFD (one column everywhere) in cells, <U+XXXX> in detail views.
//  - Hangul written as separate jamo (macOS file names are decomposed): composed first (NFC), so
//    only jamo that form no syllable are left to the table.
import { DRAWN_OTHERWISE } from './width-table.js';

/** Presentation characters of emoji sequences: the joiner, U+FE0F, the tags, the modifiers, the keycap. */
export const EMOJI_PRESENTATION = '\\u200d\\ufe0f\\u{e0020}-\\u{e007f}\\u{1f3fb}-\\u{1f3ff}\\u20e3';
const REGIONAL = '\\u{1f1e6}-\\u{1f1ff}';
/** Every character this module changes (so a text without one is returned as it is). */
export const DRAWN_DIFFERENTLY = `${EMOJI_PRESENTATION}${REGIONAL}${DRAWN_OTHERWISE}`;
const ANY = new RegExp(`[${DRAWN_DIFFERENTLY}]`, 'u');
/** What is left to change once UNSTABLE is gone: modifiers, the keycap, indicators, the table. */
const LEFT = new RegExp(`[\\u{1f3fb}-\\u{1f3ff}\\u20e3]|[${REGIONAL}]+|[${DRAWN_OTHERWISE}]`, 'gu');
// eslint-disable-next-line no-misleading-character-class -- code points taken one at a time, on purpose
const MODIFIER_OR_KEYCAP = /^[\u{1f3fb}-\u{1f3ff}\u20e3]$/u;
const IS_REGIONAL = new RegExp(`^[${REGIONAL}]`, 'u');
/** A flag: two indicators that pair into one. (`v`: the class of strings is ES2024.) */
const FLAG = new RegExp('^\\p{RGI_Emoji_Flag_Sequence}$', 'v');
/** Hangul vowel and final jamo (conjoining): a syllable written in parts. */
const JAMO = /[\u1161-\u11ff\ud7b0-\ud7ff]/;
// eslint-disable-next-line no-misleading-character-class -- code points taken one at a time, on purpose
const PRESENTATION_ALL = new RegExp(`[${EMOJI_PRESENTATION}]`, 'gu');

/** Whether `s` holds a character this module changes. */
export function drawnDifferently(s: string): boolean {
  return ANY.test(s);
}

/** An RGI emoji reduced to its base characters (a flag of two indicators stays whole). */
export function emojiBase(emoji: string): string {
  return emoji.replace(PRESENTATION_ALL, '');
}

/** Regional indicators paired from the start of their run: flags stay, the others become letters. */
function regional(run: string): string {
  let out = '';
  const cps = [...run];
  for (let i = 0; i < cps.length; i += 2) {
    const pair = cps.slice(i, i + 2).join('');
    out += cps.length - i >= 2 && FLAG.test(pair) ? pair : cps.slice(i, i + 2).map((c) => String.fromCharCode(0x41 + c.codePointAt(0)! - 0x1f1e6)).join('');
  }
  return out;
}

/**
 * `s` (with UNSTABLE characters already removed or shown) with every character drawn at another
 * width than it is measured settled: modifiers and keycaps dropped, indicators paired, the table's
 * code points replaced by `otherwise(ch)`.
 */
export function settleWidths(s: string, otherwise: (ch: string) => string): string {
  if (!ANY.test(s)) return s;
  const text = JAMO.test(s) ? s.normalize('NFC') : s;
  return text.replace(LEFT, (m) => {
    if (MODIFIER_OR_KEYCAP.test(m)) return '';
    if (IS_REGIONAL.test(m)) return regional(m);
    return otherwise(m);
  });
}
