// Ids from state files become file names (checkpoints, briefs, archive directories) and git refs
// (checkpoint and abort tags). Validate before any such use; an id that fails is reported as
// invalid-state and never turned into a path or a git argument.

import { safeJson } from './sanitize.js';

export const MAX_ID_LENGTH = 128;

/** Null when the id is safe to use in a file name or ref component, else the reason. */
const PLAINLY_SAFE = /^[A-Za-z0-9_][A-Za-z0-9_#+=,%@-]{0,127}$/;

/** U+XXXX */
function codePoint(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

// Characters that are invisible, reorder or disguise the text around them, or have no meaning:
// an id holding one can show as a different id ("T\u202e1" shows as "T1"). Unicode format
// characters (bidi embeddings, overrides, isolates and marks, zero-width spaces and joiners, the
// word joiner, BOM, soft hyphen, tags…), everything Default_Ignorable (variation selectors, Hangul
// fillers, …), separators and spaces of every kind, and U+2800 (braille blank, drawn empty).
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Z}\u2800]/u;
const PRIVATE_USE = /\p{Co}/u;
const UNASSIGNED = /\p{Cn}/u;
const CONTROL = /\p{Cc}/u;

/** The first code point an id must not hold, with the reason; null when there is none. */
function characterProblem(id: string): string | null {
  for (const ch of id) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) continue; // printable ASCII: the rules below
    if (CONTROL.test(ch)) return `contains control characters (${codePoint(cp)})`;
    // for..of pairs surrogates, so one on its own here is a lone one.
    if (cp >= 0xd800 && cp <= 0xdfff) return `contains a lone surrogate ${codePoint(cp)}`;
    if (INVISIBLE.test(ch)) return `contains an invisible or formatting character ${codePoint(cp)}`;
    if (PRIVATE_USE.test(ch)) return `contains a private-use character ${codePoint(cp)}`;
    if (UNASSIGNED.test(ch)) return `contains an unassigned code point ${codePoint(cp)}`;
  }
  return null;
}

export function idProblem(id: string): string | null {
  // The common case (letters, digits, a little punctuation, no dots): safe at a glance.
  if (PLAINLY_SAFE.test(id)) return null;
  return nameProblem(id, MAX_ID_LENGTH);
}

/**
 * What is wrong with a file name teamtop makes from ids (`<team>.ABORTED-<ts>`,
 * `reassign-<teammate>-<ts>.json`): the rules of ids, with room for what is added to them, and at
 * most 255 bytes (what file systems take). Any id that passes idProblem makes a good one.
 */
export function fileNameProblem(name: string): string | null {
  if (Buffer.byteLength(name, 'utf8') > 255) return 'is longer than 255 bytes';
  return nameProblem(name, 2 * MAX_ID_LENGTH);
}

function nameProblem(id: string, maxLength: number): string | null {
  if (id.length === 0) return 'is empty';
  if (id.length > maxLength) return `is longer than ${maxLength} characters`;
  const c = characterProblem(id);
  if (c) return c;
  if (/[/\\]/.test(id)) return 'contains a path separator';
  if (id.includes('..')) return 'contains ".."';
  if (id.startsWith('-')) return 'starts with "-"';
  if (id.startsWith('.')) return 'starts with "."';
  if (/[\s~^:?*[\]{}<>|"'`$;&]/.test(id) || id === '@') {
    return 'contains a character not allowed in file names or git refs';
  }
  if (id.endsWith('.lock') || id.endsWith('.')) return 'ends with ".lock" or "."';
  return null;
}

export class UnsafeIdError extends Error {
  constructor(kind: string, id: string, problem: string) {
    super(`${kind} id ${safeJson(id)} ${problem}: refusing to use it in a file name or git ref`);
    this.name = 'UnsafeIdError';
  }
}

export function assertSafeId(kind: string, id: string): string {
  const p = idProblem(id);
  if (p) throw new UnsafeIdError(kind, id, p);
  return id;
}
