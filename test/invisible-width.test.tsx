// A teammate named "Engine\u00adengineer…" garbled the whole screen: string-width (which lays out
// teamtop's rows and Ink's frames) counts the soft hyphen as 0 columns, the terminal draws it in 1,
// so the row overflowed, wrapped and scrolled the header off. The same for the Hangul fillers
// (U+3164 and U+115F: 2 columns on a terminal, U+FFA0: 1) and the other invisible or formatting
// characters. Their names, ids, tasks and messages are walked through the panes and the detail
// views; no frame may hold one of them raw (inside an emoji neither: test/width-tmux.test.ts
// measures emoji sequences in tmux), nor a line wider than the terminal as a terminal measures it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { KEYS, type Driver } from './helpers/tui.js';
import { mountApp, type MountedApp } from './helpers/app.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const MIN = 60_000;
const COLUMNS = 100;

const CLASS = /[\p{Default_Ignorable_Code_Point}\p{Cf}\u2028\u2029]/gu;
const RGI_EMOJI_ALL = new RegExp('\\p{RGI_Emoji}', 'gv');
/**
 * Columns tmux 3.3 draws these in (measured with a cursor position report); string-width says 0.
 * The rest of the class takes none there (U+2028/2029: string-width says 1).
 */
const TERMINAL_COLUMNS: Record<number, number> = {
  0x00ad: 1, 0x115f: 2, 0x3164: 2, 0xffa0: 1, 0x0600: 1, 0x0601: 1, 0x0602: 1, 0x0603: 1, 0x0604: 1, 0x0605: 1,
  0x06dd: 1, 0x070f: 1, 0x0890: 1, 0x0891: 1, 0x08e2: 1,
};

/** A line's width on a terminal: string-width, with the class outside emoji counted as a terminal draws it. */
function terminalWidth(line: string): number {
  let w = 0;
  const rest = line.replace(RGI_EMOJI_ALL, (e) => {
    w += stringWidth(e);
    return '';
  }).replace(CLASS, (ch) => {
    w += TERMINAL_COLUMNS[ch.codePointAt(0)!] ?? 0;
    return '';
  });
  return w + stringWidth(rest);
}

const SHY_NAME = 'Engine\u00adengineer\u00adwith\u00adsoft\u00adhyphens';
const ODD = '\u00ad\u3164\u115f\u1160\uffa0\u200b\u2060\ufeff\u034f\u180e\u{e0041}\u{1d173}\u0600\u2028\u2029\ufe0f\u200d';

let root: string;
let app: MountedApp | null = null;
let d: Driver;

beforeAll(async () => {
  root = tempDir('teamtop-invisible-');
  writeTeam(root, 'wide', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW - MIN) } },
    teammates: [
      { id: 'tm_shy', name: SHY_NAME, role: `role${ODD}`, status: 'active', last_heartbeat: iso(NOW - MIN), task_current: `shy${ODD.repeat(30)}` },
      { id: 'tm\u3164filler', name: '\u3164\u3164\u3164', status: 'active', last_heartbeat: iso(NOW - 30 * MIN), task_current: `filler${'\u3164x'.repeat(60)}` },
      { id: 'tm_emoji', name: 'Fam 👨\u200d👩\u200d👧 ❤\ufe0f 1\ufe0f\u20e3', status: 'active', last_heartbeat: iso(NOW - MIN) },
    ],
    manifest: { tasks: [
      { id: 'T1', name: `task${'\u00ad-'.repeat(80)}`, assigned_to: 'tm_shy', status: 'in_progress', description: `d${ODD.repeat(20)}` },
      { id: 'T\u00ad2', name: `hangul${'\u3164'.repeat(80)}`, assigned_to: 'tm_shy', status: 'pending' },
    ] },
    mailbox: [
      { sequence: 1, timestamp: iso(NOW - 10 * MIN), from: 'lead', to: 'tm_shy', type: 'message', payload: `hi${'\u00ad\u115f'.repeat(70)}`, ack_required: true },
      { sequence: 2, timestamp: iso(NOW - 9 * MIN), from: 'tm_shy', to: 'lead', type: 'message', payload: { text: `p${ODD.repeat(20)}`, k: ODD } },
    ],
  });
  // A team whose directory name holds them: the header, its invalid-state alert.
  writeTeam(root, `zz\u00adteam\u3164${'\u00ad'.repeat(40)}`, {
    teammates: [{ id: 'tm_z', name: `z${'\u00ad'.repeat(120)}`, status: 'active', last_heartbeat: iso(NOW - MIN) }],
  });
  app = await mountApp(root, { now: NOW, size: { columns: COLUMNS, rows: 30 }, initialTeam: 'wide' });
  d = app.d;
  await d.waitFor((f) => f.includes('1 Teammates') && f.includes('wide'));
});

afterAll(async () => {
  await app?.unmount();
  if (root) removeDir(root);
});

/** What is wrong with a frame: a raw character of the class, or a line wider than the terminal. */
function problems(frame: string): string[] {
  const out: string[] = [];
  for (const line of frame.split('\n')) {
    const raw = line.match(CLASS);
    if (raw) out.push(`raw U+${raw[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} in ${JSON.stringify(line)}`);
    const w = terminalWidth(line);
    if (w > COLUMNS) out.push(`${w} columns on a terminal: ${JSON.stringify(line)}`);
  }
  return out;
}

describe('invisible and formatting characters on screen', () => {
  it('the state holds them (the test really exercises them)', () => {
    const team = app!.source.getSnapshot().teams.find((t) => t.id === 'wide')!;
    expect(team.teammates[0]!.name).toBe(SHY_NAME);
    expect(team.teammates[1]!.id).toContain('\u3164');
  });

  it('no frame holds one raw or is wider than the terminal, through the panes and every detail view', async () => {
    const panes = { '1': 3, '2': 2, '3': 2, '4': 0 } as const;
    const team = app!.source.getSnapshot().teams.find((t) => t.id === 'wide')!;
    const alerts = (app!.engine.getSnapshot().get(team.id) ?? []).length;
    expect(alerts).toBeGreaterThan(0); // the invalid-state alerts for the ids among them
    for (const [key, n] of Object.entries(panes)) {
      d.send(key);
      d.send('g');
      const rows = key === '4' ? alerts : n;
      for (let i = 0; i < rows; i++) {
        if (i > 0) d.send('j');
        await d.press(KEYS.enter, (f) => f.includes('Esc close'));
        await d.press('G', (f) => f.includes('Esc close'));
        await d.press(KEYS.escape, (f) => f.includes('1 Teammates') && !f.includes('Esc close'));
      }
    }
    // The other team: the header names it with what is hidden in it shown (as an id cell does),
    // its alerts name its id.
    const zz = (f: string): boolean => f.includes('zz<U+00AD>team<U+3164>');
    await d.press(']', (f) => zz(f) && f.includes('1 Teammates'));
    await d.press('4', zz);
    await d.press('g', zz);
    await d.press(KEYS.enter, (f) => f.includes('Esc close') && f.includes('invalid-state'));
    await d.press(KEYS.escape, (f) => f.includes('1 Teammates') && !f.includes('Esc close'));
    await d.press('[', (f) => /wide/.test(f.split('\n')[0]!) && f.includes('1 Teammates'));
    const bad = d.allFrames().flatMap((f, i) => problems(f).map((p) => `frame ${i}: ${p}`));
    expect(bad.slice(0, 5), `${bad.length} problem(s)`).toEqual([]);
    // The soft-hyphen name is on screen, without its soft hyphens.
    expect(d.allFrames().some((f) => f.includes('Engineengineer'))).toBe(true);
  }, 60_000);

  it('detail views show them as <U+XXXX>, and an emoji as its base characters', async () => {
    const detail = (f: string): boolean => f.includes('Esc close');
    const panes = (f: string): boolean => f.includes('1 Teammates') && !detail(f);
    await d.press('1', panes);
    await d.press('g', (f) => panes(f) && f.includes('▸tm_shy'));
    const shy = await d.press(KEYS.enter, (f) => detail(f) && f.includes('Teammate tm_shy'));
    expect(shy).toContain('name: Engine<U+00AD>engineer<U+00AD>with<U+00AD>soft<U+00AD>hyphens');
    await d.press(KEYS.escape, panes);
    await d.press('G', (f) => panes(f) && f.includes('▸tm_emoji'));
    const emoji = await d.press(KEYS.enter, (f) => detail(f) && f.includes('Teammate tm_emoji'));
    expect(emoji).toContain('name: Fam 👨👩👧 ❤ 1');
    await d.press(KEYS.escape, panes);
  });
});
