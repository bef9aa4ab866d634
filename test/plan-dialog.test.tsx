// A plan taller than its box scrolls, and is never confirmed with a step unseen: at 80x24 an
// abort's plan hid its `reset --hard` in the middle of the box's cut.
import React from 'react';
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { render } from 'ink-testing-library';
import { dialogKey, type Dialog } from '../src/tui/dialogs.js';
import { dialogLayout } from '../src/tui/dialog-layout.js';
import { DialogView } from '../components/DialogView.js';
import { confirmDialog } from '../src/tui/action-flow.js';
import type { Plan } from '../src/ports/effects.js';

const key = (k: Partial<Key> = {}): Key => ({
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false, ...k,
} as Key);

const plan: Plan = { action: 'abort', team: 'alpha', args: { reason: 'x' }, effects: [], touchesRepo: true, notes: [] };
const steps = Array.from({ length: 14 }, (_, i) => `${i + 1}. step ${i + 1}${i === 12 ? ': git reset --hard to main and remove untracked files' : ''}`);
const confirm = (over: Partial<Extract<Dialog, { kind: 'confirm' }>> = {}): Extract<Dialog, { kind: 'confirm' }> =>
  ({ kind: 'confirm', plan, lines: steps, expect: null, typed: '', ...over });

/** What the box draws of a dialog, as the App measures and draws it. */
const drawn = (d: Dialog, width: number, rows: number): string[] => dialogLayout(d, width, rows).shown.map((l) => l.text);

/**
 * Keys pressed in order on a dialog drawn `width` x `rows`, the box measured as the App does; every
 * line drawn on the way (the box before each key, as the user saw it) is collected in `seen`.
 */
function press(d: Dialog, width: number, rows: number, ...keys: Array<[string, Partial<Key>?]>): ReturnType<typeof dialogKey> & { seen: Set<string> } {
  let out: ReturnType<typeof dialogKey> = { dialog: d };
  const seen = new Set<string>();
  for (const [input, k] of keys) {
    if (!out.dialog) break;
    const l = dialogLayout(out.dialog, width, rows);
    for (const t of drawn(out.dialog, width, rows)) seen.add(t.trim());
    out = dialogKey(out.dialog, input, key(k), { total: l.total, room: l.room });
  }
  return { ...out, seen };
}

const frame = (d: Dialog, width: number, rows: number): string => {
  const r = render(<DialogView layout={dialogLayout(d, width, rows)} width={width} />);
  const f = r.lastFrame() ?? '';
  r.unmount();
  return f;
};

describe('a plan taller than its box', () => {
  it('shows its start with a marker for what is below, and scrolls to every line', () => {
    const first = frame(confirm(), 78, 16);
    expect(first).toContain('1. step 1');
    expect(first).not.toContain('reset --hard');
    expect(first).toMatch(/↓ \d+ more lines \(↓\/↑ PgDn\/PgUp\) ↓/);
    let d: Dialog = confirm();
    for (let i = 0; i < 20; i++) d = press(d, 78, 16, ['', { downArrow: true }]).dialog!;
    const end = frame(d, 78, 16);
    expect(end).toContain('reset --hard');
    expect(end).toContain('14. step 14');
    expect(end).toMatch(/↑ \d+ more lines/);
    expect(end).not.toMatch(/↓ \d+ more lines/);
    d = press(d, 78, 16, ...Array.from({ length: 6 }, (): [string, Partial<Key>] => ['', { pageUp: true }])).dialog!;
    expect(frame(d, 78, 16)).toContain('1. step 1');
  });

  it('y before every step was in view moves on a page and says why, and applies once every step was drawn', () => {
    for (const [w, h] of [[78, 12], [78, 14], [60, 20], [40, 14]]) {
      let out = press(confirm(), w, h, ['y']);
      expect(out.intent).toBeUndefined();
      expect(out.dialog).toMatchObject({ kind: 'confirm', unseen: true });
      expect(frame(out.dialog!, w, h)).toContain('Every step must be seen');
      const seen = new Set(out.seen);
      for (let i = 0; i < 60 && !out.intent; i++) {
        out = press(out.dialog!, w, h, ['y']);
        for (const t of out.seen) seen.add(t);
      }
      expect(out.intent, `${w}x${h}`).toMatchObject({ kind: 'apply', plan });
      // Every step was on screen before the y that applied it.
      const text = [...seen].join(' ');
      for (let n = 1; n <= steps.length; n++) expect(text, `${w}x${h}: step ${n}`).toContain(`step ${n}`);
    }
    // A plan that fits applies at once, as before.
    expect(press(confirm({ lines: steps.slice(0, 2) }), 78, 12, ['y']).intent).toMatchObject({ kind: 'apply' });
  });

  it('lines seen in a box of another size do not count, and a key typed before the box was drawn applies nothing', () => {
    // Read to the end in a tall box, then the terminal shrinks: the small box starts over.
    let d: Dialog = confirm();
    for (let i = 0; i < 20; i++) d = press(d, 78, 30, ['', { downArrow: true }]).dialog!;
    const small = press({ ...d, scroll: 0 } as Dialog, 78, 12, ['y']);
    expect(small.intent).toBeUndefined();
    // No box yet (the dialog opened and y arrived before its first frame): kept, not applied.
    expect(dialogKey(confirm({ lines: steps.slice(0, 2) }), 'y', key())).toMatchObject({ dialog: { kind: 'confirm' } });
    expect(dialogKey(confirm({ lines: steps.slice(0, 2) }), 'y', key()).intent).toBeUndefined();
  });

  it('an abort\'s typed confirmation waits too, and its arrows scroll without typing', () => {
    let out = press(confirm({ expect: 'alpha' }), 78, 14, ['alpha'], ['', { return: true }]);
    expect(out.intent).toBeUndefined();
    expect(out.dialog).toMatchObject({ typed: 'alpha', unseen: true });
    for (let i = 0; i < 20; i++) out = press(out.dialog!, 78, 14, ['', { downArrow: true }]);
    expect(out.dialog).toMatchObject({ typed: 'alpha' });
    expect(press(out.dialog!, 78, 14, ['', { return: true }]).intent).toMatchObject({ kind: 'apply' });
    // j and k are letters of the id there.
    expect(press(confirm({ expect: 'jk' }), 78, 14, ['j'], ['k']).dialog).toMatchObject({ typed: 'jk' });
  });

  it('a terminal too small to show the typed id beside the plan confirms nothing, and says so', () => {
    const d = confirm({ expect: 'alpha' });
    const l = dialogLayout(d, 78, 8);
    expect(l.tooSmall).toBe(true);
    expect(frame(d, 78, 8)).toContain('The terminal is too small to show this plan');
    const out = press(d, 78, 8, ['alpha'], ['', { return: true }]);
    expect(out.intent).toBeUndefined();
    // Esc still cancels.
    expect(dialogKey(out.dialog!, '', key({ escape: true })).dialog).toBeNull();
  });

  it('a message the plan sends is shown whole (it was cut at 300 characters, hiding its end)', () => {
    const text = `${'Status check. '.repeat(40)}Reply by 07:31 UTC (5 min), or the task will be reassigned.`;
    const d = confirmDialog({ ...plan, action: 'wake', effects: [{ kind: 'append-message', message: { to: ['tm_a'], type: 'wake_up', priority: 'urgent', payload: { text } } }] } as Plan);
    const body = (d as Extract<Dialog, { kind: 'confirm' }>).lines.join(' ');
    expect(body).toContain('or the task will be reassigned.');
    // And it is drawn, once scrolled to the end.
    let box: Dialog = d;
    for (let i = 0; i < 40; i++) box = press(box, 78, 20, ['', { downArrow: true }]).dialog!;
    expect(frame(box, 78, 20)).toContain('reassigned.');
  });

  it('a wrong id, or an empty required reason, is said, not silently ignored', () => {
    const wrong = press(confirm({ expect: 'alpha', lines: steps.slice(0, 2) }), 78, 30, ['alphx'], ['', { return: true }]);
    expect(wrong.intent).toBeUndefined();
    expect(frame(wrong.dialog!, 78, 30)).toContain('That is not the team id: type alpha exactly.');
    // Typing again clears it.
    expect(frame(press(wrong.dialog!, 78, 30, ['', { backspace: true }]).dialog!, 78, 30)).not.toContain('That is not the team id');
    const reason: Dialog = { kind: 'prompt', action: 'complete', team: 't', title: 'Reason (required):', draft: '', field: 'reason', args: { target: 'T1' }, required: true };
    const empty = dialogKey(reason, '', key({ return: true }));
    expect(frame(empty.dialog!, 78, 30)).toContain('A reason is required');
  });
});
