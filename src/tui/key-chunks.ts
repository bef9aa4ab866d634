// Several keys read at once. Keys typed quickly (or pasted) can arrive in one read, which Ink
// hands over as one string ("/db-mig\r"). Enter, Tab and Backspace in it are those keys; between
// them, text goes whole into a prompt (a paste) and, outside one, each character is its own key
// press, each in the state the one before left. A loop over code points, never recursion: one
// astral character ("😀", two UTF-16 units) is one key, not a string to split again, and a long
// paste costs no stack. A key that changes what the keys after it act on (another team, the
// newest messages after a slice of history) leaves them for the next frame, whose context is that
// of the new list (`deferred`): `]jjj` moves in the new team's list, `G k` from the newest.
import type { Key } from 'ink';
import type { Dialog } from './dialogs.js';
import { singleKey, type ViewContext, type ViewState } from './view-state.js';

/** No key flag set: the deferred keys are plain characters and the controls among them. */
export const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
} as Key;

export function reduceKey(state: ViewState, input: string, key: Key, ctx: ViewContext): ViewState {
  const s = state.deferred === null ? state : { ...state, deferred: null };
  if (input.length <= 1 || key.ctrl || key.meta || input.includes('\u001b')) return singleKey(s, input, key, ctx);
  let next = s;
  let i = 0;
  while (i < input.length) {
    const before = next;
    const ch = String.fromCodePoint(input.codePointAt(i)!);
    const special = chunkKey(ch);
    if (special) {
      const { input: letter, ...flags } = special;
      next = singleKey(next, letter ?? '', { ...key, ...flags, shift: false }, ctx);
      i += ch.length;
    } else if (((next.dialog && takesText(next.dialog)) || next.editing) && textAt(input, i)) {
      // Text goes whole where text is typed; a picker or a y/n question takes each character as a key.
      const text = textAt(input, i)!;
      next = singleKey(next, text, key, ctx);
      i += text.length;
    } else {
      next = singleKey(next, ch, { ...key, shift: ch !== ch.toLowerCase() }, ctx);
      i += ch.length;
    }
    if (i < input.length && changesContext(before, next, ctx)) return { ...next, deferred: input.slice(i) };
  }
  return next;
}

/** Whether the keys after this one would act on a list the context does not describe any more. */
function changesContext(before: ViewState, after: ViewState, ctx: ViewContext): boolean {
  return after.teamIndex !== before.teamIndex || after.showEmpty !== before.showEmpty || (after.follow && !before.follow && ctx.newerMailbox === true);
}

const TEXT_RUN = /[^\u0000-\u001a\u007f]+/y;
/** The run of text (no control character) at `i`, or null. */
function textAt(input: string, i: number): string | null {
  TEXT_RUN.lastIndex = i;
  return TEXT_RUN.exec(input)?.[0] ?? null;
}

const takesText = (d: Dialog): boolean => d.kind === 'prompt' || d.kind === 'form' || (d.kind === 'confirm' && d.expect !== null);

/** The keys a control character inside a multi-key read stands for. */
const CHUNK_KEYS: Record<string, Partial<Key>> = {
  '\r': { return: true }, '\n': { return: true }, '\t': { tab: true }, '\u007f': { backspace: true }, '\b': { backspace: true },
};

/** A control character read with others: Enter, Tab, Backspace, or Ctrl and its letter (Ctrl-U). */
function chunkKey(piece: string): (Partial<Key> & { input?: string }) | null {
  if (piece.length !== 1) return null;
  const known = CHUNK_KEYS[piece];
  if (known) return known;
  const code = piece.charCodeAt(0);
  return code >= 1 && code <= 26 ? { ctrl: true, input: String.fromCharCode(code + 96) } : null;
}
