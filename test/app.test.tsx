import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NativeSource } from '../src/sources/native/source.js';
import type { ManualClock } from '../src/model/clock.js';
import { KEYS, type Driver } from './helpers/tui.js';
import { mountApp, type MountedApp } from './helpers/app.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
let root: string;
let app: MountedApp | null = null;
let source: NativeSource;
let clock: ManualClock;
let d: Driver;

function teamA(): void {
  writeTeam(root, 'alpha', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW - 60_000) } },
    teammates: [
      { id: 'tm_ok', name: 'Okay', status: 'active', last_heartbeat: iso(NOW - 30_000), context_tokens_used: 50, context_tokens_max: 100, task_current: 'Write parser' },
      { id: 'tm_idle', status: 'active', last_heartbeat: iso(NOW - 15 * 60_000), context_tokens_used: 10, context_tokens_max: 100 },
      { id: 'tm_full', status: 'active', last_heartbeat: iso(NOW - 60_000), context_tokens_used: 97, context_tokens_max: 100 },
    ],
    manifest: { tasks: [
      { id: 'T1', name: 'Parser', assigned_to: 'tm_ok', status: 'in_progress', completion_percent: 40 },
      { id: 'T2', name: 'Docs', assigned_to: 'tm_idle', status: 'pending', depends_on: ['T1'] },
      { id: 'T3', name: 'Setup', assigned_to: 'tm_full', status: 'completed' },
    ] },
    mailbox: [
      { sequence: 1, timestamp: iso(NOW - 120_000), from: 'lead', to: 'tm_ok', type: 'message', ack_required: true, payload: 'start the parser' },
      { sequence: 2, timestamp: iso(NOW - 100_000), from: 'tm_ok', to: 'lead', type: 'ack', ack_sequence: 1 },
      { sequence: 3, timestamp: iso(NOW - 90_000), from: 'lead', to: 'tm_idle', type: 'message', ack_required: true, payload: 'status?' },
    ],
    checkpoints: { 'tm_idle-latest.json': { checkpoint_id: 'ck-idle-1', teammate_id: 'tm_idle', timestamp: iso(NOW - 20 * 60_000), last_action: 'read the spec', next_step: 'write the outline' } },
  });
  writeTeam(root, 'beta', { teammates: [{ id: 'tm_b', last_heartbeat: iso(NOW) }] });
}

async function start(size = { columns: 100, rows: 30 }, opts: { readonly?: boolean; team?: string; now?: number } = {}): Promise<void> {
  app = await mountApp(root, { now: opts.now ?? NOW, size, readonly: opts.readonly, initialTeam: opts.team });
  ({ d, source, clock } = app);
}

beforeEach(() => {
  root = tempDir();
  teamA();
});
afterEach(async () => {
  await app?.unmount();
  app = null;
  removeDir(root);
});

/** A mailbox of `n` messages, 'history 1' to 'history n', a second apart up to now. */
function writeHistory(n: number): void {
  const line = (i: number): string => JSON.stringify({ sequence: i + 1, timestamp: iso(NOW - (n - i) * 1000), from: 'tm_ok', to: 'lead', type: 'message', payload: `history ${i + 1}` });
  writeFileSync(join(root, 'alpha', 'mailbox.jsonl'), Array.from({ length: n }, (_, i) => line(i)).join('\n') + '\n');
}

/**
 * A slow disk: the source's page reads wait until `release()`. `reads()` counts them; `last()` is
 * the latest read's promise (settled once its page is back).
 */
function holdReads(): { release: () => void; reads: () => number; last: () => Promise<unknown> } {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const read = source.readMailboxRange.bind(source);
  let reads = 0;
  let last: Promise<unknown> = Promise.resolve();
  source.readMailboxRange = (...a: Parameters<typeof read>) => {
    reads++;
    const p = gate.then(() => read(...a));
    last = p;
    return p;
  };
  return { release, reads: () => reads, last: () => last };
}

describe('App', () => {
  it('shows the four panes with teammates, tasks, messages and alerts', async () => {
    await start();
    const f = d.lastFrame();
    for (const s of ['1 Teammates (3)', '2 Tasks (3)', '3 Mailbox (3)', '4 Alerts', 'tm_ok', 'Parser', 'start the parser']) expect(f).toContain(s);
    expect(f).toMatch(/CRIT\s+context-exhausted/);
    expect(f).toMatch(/HIGH\s+teammate-idle/);
    expect(f).toMatch(/alpha \[1\/2\] active/);
  });

  it('never draws more lines than the terminal has, at any size', async () => {
    for (const size of [{ columns: 80, rows: 24 }, { columns: 120, rows: 40 }, { columns: 200, rows: 60 }, { columns: 60, rows: 14 }]) {
      await start(size);
      const lines = d.lastFrame().split('\n');
      expect(lines.length).toBeLessThanOrEqual(size.rows);
      await app!.unmount();
      app = null;
    }
  });

  it('colours the heartbeat age by bracket and ticks ages with the clock', async () => {
    await start();
    expect(d.lastFrame()).toMatch(/tm_ok .*30s/);
    clock.advance(5000);
    await d.waitFor((f) => /tm_ok .*35s/.test(f));
  });

  it('moves focus and selection, opens a teammate with its latest checkpoint, and closes it', async () => {
    await start();
    await d.press('j', (f) => /▸tm_idle/.test(f));
    const detail = await d.press(KEYS.enter, (f) => f.includes('Latest checkpoint'));
    expect(detail).toContain('read the spec');
    expect(detail).toContain('write the outline');
    await d.press(KEYS.escape, (f) => f.includes('2 Tasks'));
  });

  it('a detail stays on its item: it follows it when rows move, and says so when it is gone', async () => {
    await start();
    await d.press('j', (f) => /▸tm_idle/.test(f));
    await d.press(KEYS.enter, (f) => f.includes('Latest checkpoint') && f.includes('tm_idle'));
    const file = join(root, 'alpha', 'teammates.json');
    const all = JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: string }>;
    // A teammate before it goes: its row moves up, the detail stays on tm_idle.
    writeFileSync(file, JSON.stringify(all.filter((t) => t.id !== 'tm_ok')));
    await source.refresh('alpha');
    let f = await d.waitFor((x) => x.includes('2 tm ·'));
    expect(f).toContain('tm_idle');
    // tm_idle itself goes: the detail says so rather than showing the teammate now in its row.
    writeFileSync(file, JSON.stringify(all.filter((t) => t.id === 'tm_full')));
    await source.refresh('alpha');
    f = await d.waitFor((x) => x.includes('1 tm ·'));
    expect(f).toContain('This teammate is gone');
    expect(f).not.toContain('tm_full');
  });

  it('opens a task with both dependency directions', async () => {
    await start();
    await d.press('2', (f) => /\u001b\[7m.*2 Tasks|2 Tasks/.test(f));
    const f = await d.press(KEYS.enter, (x) => x.includes('Waited on by'));
    expect(f).toMatch(/Waited on by \(1\)/);
    expect(f).toMatch(/T2 +pending/);
  });

  it('opens a message with its payload and ACK state', async () => {
    await start();
    await d.press('3', (f) => f.includes('following'));
    await d.press('g', (f) => f.includes('scrolled'));
    const f = await d.press(KEYS.enter, (x) => x.includes('Message #1'));
    expect(f).toContain('start the parser');
    expect(f).toMatch(/acked/);
    expect(f).toMatch(/#2 .*from tm_ok/);
  });

  it('marks an overdue message as timed out and a recent one as awaiting', async () => {
    await start(undefined, { now: NOW - 80_000 });
    expect(d.lastFrame()).toMatch(/3 .*lead → tm_idle.*awaiting/);
    clock.set(NOW);
    await d.waitFor((f) => /3 .*lead → tm_idle.*timed out/.test(f));
  });

  it('filters the focused pane with /', async () => {
    await start();
    await d.press('/', (f) => f.includes('filter teammates'));
    await d.press('f', (f) => f.includes('/f'));
    await d.press('ull', (f) => /Teammates \(1\/3\)/.test(f));
    const f = await d.press(KEYS.enter, (x) => !x.includes('filter teammates'));
    expect(f).toContain('tm_full');
    expect(f).not.toContain('tm_idle (');
    await d.press(KEYS.escape, (x) => /Teammates \(3\)/.test(x));
  });

  it('switches teams with ] and [', async () => {
    await start();
    await d.press(']', (f) => /beta \[2\/2\]/.test(f));
    await d.press('[', (f) => /alpha \[1\/2\]/.test(f));
  });

  it('starts on the team given with --team', async () => {
    await start(undefined, { team: 'beta' });
    expect(d.lastFrame()).toMatch(/beta \[2\/2\]/);
  });

  it('shows the help generated from the keymap, and closes it', async () => {
    await start();
    const f = await d.press('?', (x) => x.includes('Help'));
    expect(f).toContain('filter the focused pane');
    expect(f).toContain('jump to Mailbox');
    await d.press('?', (x) => x.includes('1 Teammates'));
  });

  it('shows a file change on screen: a new message and a broken teammates.json', async () => {
    await start();
    await source.watch();
    appendFileSync(join(root, 'alpha', 'mailbox.jsonl'), JSON.stringify({ sequence: 4, timestamp: iso(NOW), from: 'tm_idle', to: 'lead', type: 'message', payload: 'woke up' }) + '\n');
    await d.waitFor((f) => f.includes('woke up') && f.includes('3 Mailbox (4)'));
    writeFileSync(join(root, 'alpha', 'teammates.json'), '[{"id": "tm_ok"},\n {"id": }]');
    const f = await d.waitFor((x) => x.includes('teammates.json:2'));
    expect(f).toContain('showing last good data');
    expect(f).toContain('tm_full');
  });

  it('keeps the team on screen when a team appears before it or goes, and ] still moves from it', async () => {
    await start();
    await source.watch();
    await d.press(']', (f) => f.includes('beta [2/2]'));
    // A new team sorts before beta: the view stays on beta, at its new place.
    writeTeam(root, 'aardvark', { teammates: [{ id: 'tm_a', last_heartbeat: iso(NOW) }] });
    let f = await d.waitFor((x) => x.includes('[3/3]'));
    expect(f).toContain('beta [3/3]');
    expect(f).toContain('tm_b');
    removeDir(join(root, 'aardvark'));
    f = await d.waitFor((x) => x.includes('[2/2]'));
    expect(f).toContain('beta [2/2]');
    // A key moves from where the team is now.
    writeTeam(root, 'aardvark', { teammates: [{ id: 'tm_a', last_heartbeat: iso(NOW) }] });
    await d.waitFor((x) => x.includes('beta [3/3]'));
    f = await d.press('[', (x) => x.includes('[2/3]'));
    expect(f).toContain('alpha [2/3]');
    // A team gone for a while (beta's teammates file empties: it folds) is shown again when back,
    // and in between the view's state is not moved onto the team shown instead.
    await d.press(']', (x) => x.includes('beta [3/3]'));
    writeFileSync(join(root, 'beta', 'teammates.json'), '[]');
    await d.waitFor((x) => x.includes('[2/2]') && !x.includes('beta ['));
    writeFileSync(join(root, 'beta', 'teammates.json'), JSON.stringify([{ id: 'tm_b', last_heartbeat: iso(NOW) }]));
    f = await d.waitFor((x) => x.includes('[3/3]'));
    expect(f).toContain('beta [3/3]');
  });

  it('acknowledges an alert with a: hidden, saved in the team directory, back when the evidence changes', async () => {
    await start();
    await source.watch();
    await d.press('4', (f) => /HIGH\s+teammate-idle/.test(f));
    await d.press('j', (f) => /▸HIGH\s+teammate-idle/.test(f));
    const f = await d.press('a', (x) => x.includes('1 acknowledged') && x.includes('acknowledged teammate-idle:tm_idle'));
    expect(f.split('4 Alerts')[1]).not.toMatch(/teammate-idle +tm_idle/);
    const saved = JSON.parse(readFileSync(join(root, 'alpha', 'alert-acks.json'), 'utf8'));
    expect(Object.keys(saved.acks)).toEqual(['teammate-idle:tm_idle']);
    const log = readFileSync(join(root, 'alpha', 'actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log).toEqual([expect.objectContaining({ action: 'ack-alert', result: 'ok', args: { alert: 'teammate-idle:tm_idle' } })]);
    // The teammate's heartbeat moves on but it is still idle: the evidence changed, so it shows again.
    writeFileSync(join(root, 'alpha', 'teammates.json'), JSON.stringify([{ id: 'tm_idle', last_heartbeat: iso(NOW - 12 * 60_000) }]));
    await d.waitFor((x) => /HIGH\s+teammate-idle/.test(x));
  });

  it('under --readonly an acknowledgement lasts for the session and nothing is written', async () => {
    await start(undefined, { readonly: true });
    await d.press('4', (f) => /HIGH\s+teammate-idle/.test(f));
    await d.press('j', (f) => /▸HIGH\s+teammate-idle/.test(f));
    const f = await d.press('a', (x) => x.includes('1 acknowledged'));
    expect(f).toContain('read-only: not saved');
    expect(existsSync(join(root, 'alpha', 'alert-acks.json'))).toBe(false);
    expect(existsSync(join(root, 'alpha', 'actions.jsonl'))).toBe(false);
  });



  it('scrolls back beyond the in-memory window by reading older messages from disk', async () => {
    writeHistory(1500);
    await start({ columns: 120, rows: 40 });
    await d.press('3', (f) => f.includes('3 Mailbox (1500)') && f.includes('history 1500'));
    // g goes to the top of the window (message 501), then past it: the page before is read by offset.
    const f = await d.press('g', (x) => /▸ +1 .*history 1$/m.test(x));
    expect(f).not.toContain('history 1500');
    await d.press('j', (x) => /▸ +2 .*history 2$/m.test(x));
    // And G follows the tail again.
    await d.press('G', (x) => x.includes('history 1500') && x.includes('following'));
  });

  it('g goes to the first message of a long mailbox at once; moving down a slice of history reads on; G follows', async () => {
    writeHistory(3000);
    await start({ columns: 120, rows: 40 });
    await d.press('3', (f) => f.includes('3 Mailbox (3000)') && f.includes('history 3000'));
    // The window holds the newest 1,000; g reads the first page, not the 500 before the window.
    await d.press('g', (x) => /▸ +1 .*history 1$/m.test(x) && x.includes('history 1–500 of 3000 (G to follow)'));
    // Down to the slice's end and past it: the next page is read, the selection moves on to it.
    await d.press('j'.repeat(499), (x) => /▸ *500 .*history 500$/m.test(x));
    await d.press('j', (x) => /▸ *501 .*history 501$/m.test(x) && x.includes('history 1–1000 of 3000'));
    await d.press('G', (x) => x.includes('history 3000') && x.includes('following'));
  });

  it('moves pressed while the next page of history is read are all made once it arrives', async () => {
    writeHistory(3000);
    await start({ columns: 120, rows: 40 });
    await d.press('3', (f) => f.includes('3 Mailbox (3000)') && f.includes('history 3000'));
    await d.press('g', (x) => /▸ +1 .*history 1$/m.test(x) && x.includes('history 1–500 of 3000'));
    await d.press('j'.repeat(499), (x) => /▸ *500 .*history 500$/m.test(x));
    // A slow disk: three presses past the slice's end while its next page is read.
    const held = holdReads();
    // Two typed ahead (reduced before the next frame), then two more once the read has begun, each
    // taken before the next (the help opening after it shows it was reduced).
    d.send('j');
    await d.press('j', (x) => /▸ *500 .*history 500$/m.test(x));
    await d.waitFor(() => held.reads() === 1);
    for (let i = 0; i < 2; i++) {
      await d.press('j?', (x) => x.includes('Help'));
      await d.press(KEYS.escape, (x) => !x.includes('Help') && x.includes('3 Mailbox'));
    }
    expect(held.reads()).toBe(1);
    held.release();
    const f = await d.waitFor((x) => x.includes('history 1–1000 of 3000') && /▸ *\d+ .*history \d+$/m.test(x) && !/▸ *50[0-3] /m.test(x));
    expect(f).toMatch(/▸ *504 .*history 504$/m);
  });

  it('g, G, then k before the first page came: the page moves nothing (no jump to the top); g j j j lands on message 4', async () => {
    writeHistory(1500);
    await start({ columns: 120, rows: 40 });
    const held = holdReads();
    await d.press('3', (f) => f.includes('3 Mailbox (1500)') && f.includes('following'));
    await d.press('g', (f) => !f.includes('following'));
    await d.waitFor(() => held.reads() === 1);
    await d.press('G', (f) => f.includes('following'));
    await d.press('k', (f) => /▸ *1499 .*history 1499$/m.test(f));
    held.release();
    await held.last(); // the page is back; the hook has it once this turn of the event loop ends
    await new Promise((r) => setImmediate(r));
    // The read comes back and is not used: 1499 stays selected, the list is not the first page.
    await d.press('?', (f) => f.includes('Help'));
    const f = await d.press(KEYS.escape, (x) => !x.includes('Help') && x.includes('3 Mailbox'));
    expect(f).toMatch(/▸ *1499 .*history 1499$/m);
    expect(f).not.toContain('history 1–500');
    // g j j j, typed together (reduced before the page comes): message 4.
    d.send('gjjj');
    await d.waitFor((x) => /▸ *4 .*history 4$/m.test(x));
  });

  it('keys read with [ or ] act on the team switched to: [jj from beta selects alpha\'s third teammate', async () => {
    await start({ columns: 120, rows: 40 }, { team: 'beta' });
    await d.waitFor((f) => f.includes('beta [2/2]') && f.includes('▸tm_b'));
    d.send('[jj');
    const f = await d.waitFor((x) => x.includes('alpha [1/2]') && /▸tm_\w+/.test(x) && !x.includes('▸tm_ok'));
    const rows = f.split('\n').filter((l) => /^[ ▸]tm_\w+/.test(l)).map((l) => l.trim().replace('▸', '').split(' ')[0]);
    expect(f.split('\n').find((l) => l.startsWith('▸tm_'))!.slice(1).split(' ')[0]).toBe(rows[2]);
  });

  it('a page of history that arrives after G leaves the mailbox following', async () => {
    writeHistory(1500);
    await start({ columns: 120, rows: 40 });
    // A slow disk: the page is read while the user has already gone back to the newest.
    const held = holdReads();
    await d.press('3', (f) => f.includes('3 Mailbox (1500)') && f.includes('following'));
    await d.press('g', (f) => !f.includes('following'));
    await d.press('G', (f) => f.includes('following'));
    held.release();
    await new Promise((r) => setTimeout(r, 100));
    const f = await d.waitFor((x) => x.includes('history 1500'));
    expect(f).toContain('following');
  });

  it('keeps what was scrolled back to, and the selection on its message, as new messages arrive', async () => {
    const line = (i: number): string => JSON.stringify({ sequence: i, timestamp: iso(NOW - (2000 - i) * 1000), from: 'tm_ok', to: 'lead', type: 'message', payload: `history ${i}` }) + '\n';
    writeFileSync(join(root, 'alpha', 'mailbox.jsonl'), Array.from({ length: 1500 }, (_, i) => line(i + 1)).join(''));
    await start({ columns: 120, rows: 40 });
    await source.watch();
    await d.press('3', (f) => f.includes('3 Mailbox (1500)') && f.includes('history 1500'));
    await d.press('g', (x) => /▸ +1 .*history 1$/m.test(x));
    await d.press('j', (x) => /▸ +2 .*history 2$/m.test(x));
    // The window slides by three: the messages it lets go stay in the list, under the selection.
    appendFileSync(join(root, 'alpha', 'mailbox.jsonl'), line(1501) + line(1502) + line(1503));
    let f = await d.waitFor((x) => x.includes('3 Mailbox (1503)'));
    expect(f).toMatch(/▸ +2 .*history 2$/m);
    // Within the window too: the selection on its top message stays there when it slides out.
    await d.press('G', (x) => x.includes('history 1503') && x.includes('following'));
    for (let i = 0; i < 3; i++) await d.press('g', () => true);
    await d.waitFor((x) => /▸ +\d+ .*history \d+$/m.test(x) && !x.includes('following'));
    const selected = /▸ +(\d+) /m.exec(d.lastFrame()!)![1];
    appendFileSync(join(root, 'alpha', 'mailbox.jsonl'), line(1504) + line(1505));
    f = await d.waitFor((x) => x.includes('3 Mailbox (1505)'));
    expect(f).toMatch(new RegExp(`▸ +${selected} .*history ${selected}$`, 'm'));
  });
});
