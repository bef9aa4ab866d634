// Ids with invisible, formatting, spacing, private-use, unassigned, surrogate or control characters
// are refused: "T\u202e1" shows as "T1" but is another id (and another file name or git ref).
import { describe, expect, it } from 'vitest';
import { idProblem, assertSafeId, UnsafeIdError } from '../src/safety/ids.js';
import { invalidState } from '../src/alerts/detectors/invalid-state.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { team, teammate, task } from './helpers/model.js';

const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

// Each one on its own, by category.
const FORMAT = [
  0x00ad, // soft hyphen
  0x061c, // arabic letter mark
  0x180e, // mongolian vowel separator
  0x200b, 0x200c, 0x200d, // zero-width space, non-joiner, joiner
  0x200e, 0x200f, // LRM, RLM
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, // embeddings, pop, overrides
  0x2060, 0x2061, 0x2062, 0x2063, 0x2064, // word joiner, invisible operators
  0x2066, 0x2067, 0x2068, 0x2069, // isolates
  0x206a, 0x206f, // deprecated formatting
  0xfeff, // BOM / zero-width no-break space
  0xfff9, 0xfffb, // interlinear annotation
  0x110bd, // kaithi number sign
  0x1d173, 0x1d17a, // musical formatting
  0xe0001, 0xe0020, 0xe0041, 0xe007f, // language tag, tag space, tag A, cancel tag
];
const DEFAULT_IGNORABLE = [
  0x034f, // combining grapheme joiner
  0x115f, 0x1160, 0x3164, 0xffa0, // Hangul fillers
  0x17b4, 0x17b5, // Khmer inherent vowels
  0x180b, 0x180c, 0x180d, 0x180f, // Mongolian free variation selectors
  0xfe00, 0xfe0f, // variation selectors
  0xe0100, 0xe01ef, // variation selectors supplement
  0xe0080, 0xe0fff, // reserved default-ignorable
  0x2065, // reserved in the general punctuation block
];
const SPACES = [
  0x00a0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0x2800,
];
const PRIVATE_USE = [0xe000, 0xf8ff, 0xf0000, 0xffffd, 0x100000, 0x10fffd];
const UNASSIGNED = [0x0378, 0x0530, 0xfdd0, 0xfdef, 0xfffe, 0xffff, 0x1fffe, 0x2fffe, 0x10ffff];
const CONTROLS = [0x00, 0x01, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9b, 0x9f];

const ALL: Array<[string, number]> = [
  ...FORMAT.map((c) => ['format', c] as [string, number]),
  ...DEFAULT_IGNORABLE.map((c) => ['default-ignorable', c] as [string, number]),
  ...SPACES.map((c) => ['space', c] as [string, number]),
  ...PRIVATE_USE.map((c) => ['private-use', c] as [string, number]),
  ...UNASSIGNED.map((c) => ['unassigned', c] as [string, number]),
  ...CONTROLS.map((c) => ['control', c] as [string, number]),
];

const PLACES: Array<[string, (ch: string) => string]> = [
  ['in the middle', (ch) => `T${ch}1`],
  ['at the start', (ch) => `${ch}T1`],
  ['at the end', (ch) => `T1${ch}`],
  ['alone', (ch) => ch],
  ['in a non-ASCII id', (ch) => `tâche${ch}-1`],
];

describe('idProblem: invisible and formatting characters', () => {
  describe.each(ALL)('%s %s', (_kind, cp) => {
    const ch = String.fromCodePoint(cp);
    it.each(PLACES)('refused %s, naming the code point', (_where, place) => {
      const id = place(ch);
      const p = idProblem(id);
      expect(p, JSON.stringify(id)).not.toBeNull();
      expect(p).toContain(hex(cp));
      expect(idProblem(id) === null).toBe(false);
      expect(() => assertSafeId('task', id)).toThrow(UnsafeIdError);
    });
  });

  it('gives the reason of the issue', () => {
    expect(idProblem('T\u202e1')).toBe('contains an invisible or formatting character U+202E');
    expect(idProblem('a\u200bb')).toBe('contains an invisible or formatting character U+200B');
    expect(idProblem('a\u00a0b')).toBe('contains an invisible or formatting character U+00A0');
    expect(idProblem('a\ue000b')).toBe('contains a private-use character U+E000');
    expect(idProblem('a\u0378b')).toBe('contains an unassigned code point U+0378');
    expect(idProblem('a\u0007b')).toMatch(/^contains control characters.*U\+0007/);
  });

  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udfff'],
    ['a reversed pair', '\udc00\ud800'],
  ])('refuses %s, wherever it is', (_name, s) => {
    for (const id of [`T${s}1`, `${s}T1`, `T1${s}`, s]) {
      expect(idProblem(id), JSON.stringify(id)).toMatch(/lone surrogate U\+D[89A-F][0-9A-F]{2}/);
    }
  });

  it('every code point of the categories is refused, not only the listed ones', () => {
    // A sweep of the BMP and the planes with format or ignorable characters.
    const bad = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Z}\p{Co}\p{Cn}\p{Cc}]/u;
    let checked = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (cp > 0x2ffff && cp < 0xe0000) continue; // unassigned planes: a sample suffices
      const ch = String.fromCodePoint(cp);
      if (ch === ' ' || !bad.test(ch)) continue;
      checked++;
      if (idProblem(`T${ch}1`) === null) throw new Error(`T${hex(cp)}1 passes`);
    }
    expect(checked).toBeGreaterThan(1000);
    for (const cp of [0x3fffe, 0x40000, 0xd0000]) expect(idProblem(`T${String.fromCodePoint(cp)}1`)).not.toBeNull();
  });

  it('the ASCII space is still refused with its own reason', () => {
    expect(idProblem('a b')).toBe('contains a character not allowed in file names or git refs');
  });
});

describe('idProblem: ordinary ids still pass', () => {
  it.each([
    'tâche-1', '任务2', 'задача_3', 'Ωmega', 'naïve', 'résumé+v2', 'タスク', '작업-7', 'مهمة', 'משימה', 'कार्य', 'ลูกค้า',
    '👍', 'team🚀1', 'Task#1', 'a.b', 'v1.2.3', 'x@y', 'ﬁle', 'e\u0301', // a combining accent is visible
  ])('%s', (id) => {
    expect(idProblem(id)).toBeNull();
  });

  it('every id of the ASCII fast path still passes', () => {
    const first = 'AZaz09_';
    const rest = 'AZaz09_#+=,%@-';
    for (const a of first) for (const b of rest) for (const c of rest) expect(idProblem(`${a}${b}${c}`)).toBeNull();
    expect(idProblem('A'.repeat(128))).toBeNull();
    expect(idProblem('tm_schema')).toBeNull();
    expect(idProblem('SLA-0')).toBeNull();
  });

  it('keeps the other rules', () => {
    expect(idProblem('')).toBe('is empty');
    expect(idProblem('a'.repeat(129))).toContain('longer than');
    expect(idProblem('a/b')).toBe('contains a path separator');
    expect(idProblem('a..b')).toBe('contains ".."');
    expect(idProblem('-a')).toBe('starts with "-"');
    expect(idProblem('.a')).toBe('starts with "."');
    expect(idProblem('a.lock')).toBe('ends with ".lock" or "."');
  });
});

describe('invalid-state reports such ids', () => {
  it('a teammate, a task and the team with a hidden character each get an alert naming the code point', () => {
    const t = team({
      id: 'team\u200d',
      teammates: [teammate({ id: 'T\u202e1' }), teammate({ id: 'tâche-1' })],
      tasks: [task({ id: 'X\u2066Y' }), task({ id: '任务2' })],
    });
    const alerts = invalidState({ team: t, now: 0, thresholds: DEFAULT_THRESHOLDS });
    const summaries = alerts.map((a) => a.summary);
    expect(summaries).toHaveLength(3);
    expect(summaries.some((s) => s.startsWith('team id') && s.includes('U+200D'))).toBe(true);
    expect(summaries.some((s) => s.startsWith('teammate id') && s.includes('U+202E'))).toBe(true);
    expect(summaries.some((s) => s.startsWith('task id') && s.includes('U+2066'))).toBe(true);
  });
});
