// Text fields edit like a shell's line: cursor keys, Home/End, Ctrl-A/E/U/K/W, Backspace, and text
// typed or pasted at the cursor (control characters never get in).
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { editLine, lineAt, withCursor, type Line } from '../src/tui/line-edit.js';
import { dialogKey, type Dialog } from '../src/tui/dialogs.js';

const key = (k: Partial<Key> = {}): Key => ({
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false, ...k,
} as Key);

const run = (l: Line, ...steps: Array<[string, Partial<Key>?]>): Line => steps.reduce((x, [input, k]) => editLine(x, input, key(k)) ?? x, l);

describe('a required answer', () => {
  it('Enter on an empty required prompt keeps it open; with text it goes on', () => {
    const d: Dialog = { kind: 'prompt', action: 'complete', team: 'perf', title: 'Reason (required):', draft: '  ', field: 'reason', args: { target: 'T1' }, required: true };
    expect(dialogKey(d, '', key({ return: true }))).toEqual({ dialog: { ...d, missing: true } });
    expect(dialogKey({ ...d, draft: 'done' }, '', key({ return: true })).intent).toMatchObject({ kind: 'step', args: { reason: 'done' } });
  });
});

describe('line editing', () => {
  it('keeps what was typed as typed (an id with a skin tone, a keycap, decomposed Hangul), but for escapes, controls and invisible characters; draws it sanitized', async () => {
    for (const t of ['team👍🏽', 'k1\u20e3', 'uni\u1112\u1161\u11ab', 'tri☰', 'flag🇦🇧', '👩\u200d👩\u200d👧\u200d👦 1\ufe0f\u20e3 ❤\ufe0f 🏳\ufe0f\u200d🌈']) {
      expect(run(lineAt(''), [t]).text, t).toBe(t);
    }
    expect(run(lineAt(''), ['a\u001b[31mb\u0007c\u0085d\u202ee\ufe0f']).text).toBe('abcde');
    expect(withCursor(run(lineAt(''), ['team👍🏽']))).toBe('team👍▏');
    // A typed id is drawn as ids are (what tells it apart shows while it is typed).
    const { shownId } = await import('../src/safety/sanitize.js');
    expect(withCursor(run(lineAt(''), ['team👍🏽']), shownId)).toBe('team👍<U+1F3FD>▏');
    // A confirmation's typed id is compared with the id as it is.
    const d: Dialog = { kind: 'confirm', plan: { action: 'abort', team: 'team👍🏽', effects: [], notes: [] } as never, lines: [], expect: 'team👍🏽', typed: '' };
    const typedId = dialogKey(d, 'team👍🏽', key()).dialog as Extract<Dialog, { kind: 'confirm' }>;
    expect(typedId.typed).toBe('team👍🏽');
  });

  it('a commit message keeps an id with an emoji as it is (no control or invisible character)', async () => {
    const { cleanMessage } = await import('../src/git/identity.js');
    expect(cleanMessage('Checkpoint: tm👍🏽 at 40% on T❤\ufe0f\u001b[31m\u202e', 'x')).toBe('Checkpoint: tm👍🏽 at 40% on T❤\ufe0f\n');
  });

  it('a filter kept as typed matches the rows as they are drawn', async () => {
    const { matchesFilter } = await import('../src/tui/panes.js');
    expect(matchesFilter('build ok 👍🏽 ❤️', run(lineAt(''), ['👍🏽']).text)).toBe(true);
    expect(matchesFilter('build ok 👍🏽 ❤️', run(lineAt(''), ['ok 👍 ❤']).text)).toBe(true);
    expect(matchesFilter('build ok', run(lineAt(''), ['👍🏽']).text)).toBe(false);
  });

  it('moves, inserts at the cursor, deletes before it', () => {
    expect(run(lineAt('abc'), ['', { leftArrow: true }], ['', { leftArrow: true }], ['X'])).toEqual({ text: 'aXbc', cursor: 2 });
    expect(run(lineAt('abc'), ['', { home: true }], ['>'])).toEqual({ text: '>abc', cursor: 1 });
    expect(run(lineAt('abc', 0), ['', { end: true }], ['!'])).toEqual({ text: 'abc!', cursor: 4 });
    expect(run(lineAt('abc'), ['', { leftArrow: true }], ['', { backspace: true }])).toEqual({ text: 'ac', cursor: 1 });
    expect(run(lineAt('ab', 0), ['', { backspace: true }])).toEqual({ text: 'ab', cursor: 0 });
  });

  it('Ctrl-A/E go to the ends, Ctrl-U/K delete to them, Ctrl-W deletes the word before', () => {
    expect(run(lineAt('one two'), ['a', { ctrl: true }], ['_'])).toEqual({ text: '_one two', cursor: 1 });
    expect(run(lineAt('one two', 3), ['e', { ctrl: true }])).toEqual({ text: 'one two', cursor: 7 });
    expect(run(lineAt('one two', 4), ['u', { ctrl: true }])).toEqual({ text: 'two', cursor: 0 });
    expect(run(lineAt('one two', 3), ['k', { ctrl: true }])).toEqual({ text: 'one', cursor: 3 });
    expect(run(lineAt('one two  '), ['w', { ctrl: true }])).toEqual({ text: 'one ', cursor: 4 });
  });

  it('counts characters, not UTF-16 units; pasted control characters never get in', () => {
    expect(run(lineAt('a😀b'), ['', { leftArrow: true }], ['', { backspace: true }])).toEqual({ text: 'ab', cursor: 1 });
    expect(run(lineAt(''), ['x\u001b[31my\u202ez'])).toEqual({ text: 'xyz', cursor: 3 });
    expect(withCursor(lineAt('abc', 1))).toBe('a▏bc');
  });

  it('in a dialog\'s prompt', () => {
    let d: Dialog = { kind: 'prompt', action: 'complete', team: 'perf', title: 'Reason:', draft: 'the reson', field: 'reason', args: { target: 'T1' } };
    for (const [input, k] of [['', { leftArrow: true }], ['', { leftArrow: true }], ['', { leftArrow: true }], ['a']] as Array<[string, Partial<Key>]>) d = dialogKey(d, input, key(k)).dialog!;
    expect(d).toMatchObject({ draft: 'the reason' });
    const out = dialogKey(d, '', key({ return: true }));
    expect(out.intent).toEqual({ kind: 'step', action: 'complete', team: 'perf', args: { target: 'T1', reason: 'the reason' } });
  });
});

describe('control keys that arrive in one read', () => {
  it('are each applied: Ctrl-E then Ctrl-U clears a reason typed so far', async () => {
    const { initialViewState } = await import('../src/tui/view-state.js');
    const { reduceKey } = await import('../src/tui/key-chunks.js');
    const ctx = { counts: { teammates: 1, tasks: 1, mailbox: 1, alerts: 1 }, pageSize: { teammates: 5, tasks: 5, mailbox: 5, alerts: 5 }, teamCount: 1 };
    const s = { ...initialViewState(), dialog: { kind: 'prompt', action: 'complete', team: 'perf', title: 'Reason:', draft: 'old text', cursor: 2, field: 'reason', args: { target: 'T1' } } as Dialog };
    const cleared = reduceKey(s, '\u0005\u0015', key(), ctx);
    expect(cleared.dialog).toMatchObject({ draft: '' });
    const killed = reduceKey(s, '\u0001\u000bnew', key(), ctx);
    expect(killed.dialog).toMatchObject({ draft: 'new' });
  });
});
