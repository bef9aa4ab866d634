// What teamtop puts on screen is drawn as wide as it was laid out. string-width lays out Ink's
// frames and teamtop's tables; tmux draws them. Every string here goes through sanitize() (cells)
// and reveal() (detail views), and tmux is asked how many columns it drew the result in
// (scripts/width-probe.mjs, a cursor position report): it must be what string-width says. The
// strings: every eleventh code point sanitize() lets through (scripts/width-sweep.mjs measured
// them all and wrote the ones drawn otherwise to src/safety/width-table.ts), and emoji sequences
// of every kind: skin tones on every base, U+FE0F after every emoji, joiners, keycaps, flags and
// pairs of regional indicators that are not flags, tag sequences.
import { afterEach, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { reveal, sanitize } from '../src/safety/sanitize.js';
import { measureInTmux } from '../scripts/width-tmux.mjs';
import { hasTmux, TmuxSession } from './helpers/tmux.js';
import { BIN } from './helpers/cli.js';
import { iso, removeDir, tempDir, writeTeam } from './helpers/state.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

const SKIP = /[\p{Cc}\p{Cs}\p{Cn}\p{Co}]/u;
const EMOJI = /\p{Emoji}/u;
const MODIFIER_BASE = /\p{Emoji_Modifier_Base}/u;
const TONES = ['\u{1f3fb}', '\u{1f3fc}', '\u{1f3fd}', '\u{1f3fe}', '\u{1f3ff}'];

function corpus(): string[] {
  const out: string[] = [];
  const emoji: string[] = [];
  for (let cp = 0x20; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (SKIP.test(ch)) continue;
    if (cp % 11 === 0) out.push(ch);
    if (EMOJI.test(ch)) emoji.push(ch);
    if (MODIFIER_BASE.test(ch)) for (const t of TONES) out.push(`${ch}${t}`, `a${ch}${t}${t}b`);
  }
  for (const e of emoji) out.push(`${e}\ufe0f`, `${e}\u200d${e}`);
  for (let a = 0x1f1e6; a <= 0x1f1ff; a++) {
    for (let b = 0x1f1e6; b <= 0x1f1ff; b++) out.push(String.fromCodePoint(a, b), `x${String.fromCodePoint(a, b, a)}`);
  }
  for (const k of '0123456789#*') out.push(`${k}\ufe0f\u20e3`, `${k}\u20e3`);
  out.push(
    '👨\u200d👩\u200d👧', '👩🏽\u200d💻', '🧑🏻\u200d🤝\u200d🧑🏿', '🏳\ufe0f\u200d🌈', '🏳\u200d🌈', '👁\ufe0f\u200d🗨\ufe0f', '🐻\u200d❄\ufe0f',
    '❤\ufe0f\u200d🔥', '🫱🏼\u200d🫲🏽', '⛹🏽\u200d♀\ufe0f', '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}', '🏽', 'a🏽',
    '\u1112\u1161\u11ab\u1100\u1173\u11af', 'x\u1161y', '\u{1fae8} new', '☰ menu', '⚠\ufe0f warning', '✔\ufe0f done',
  );
  return out;
}

describe('drawn as wide as laid out', () => {
  it('sanitize() and reveal() of every kind of character and emoji sequence: tmux draws what string-width measured', async () => {
    const texts = corpus();
    const shown = texts.flatMap((t) => [sanitize(t), reveal(t)]);
    const widths = await measureInTmux(shown);
    const wrong: string[] = [];
    shown.forEach((s, i) => {
      if (widths[i] !== stringWidth(s)) {
        wrong.push(`${JSON.stringify(texts[i >> 1])} → ${JSON.stringify(s)}: tmux ${widths[i]}, string-width ${stringWidth(s)}`);
      }
    });
    expect(texts.length).toBeGreaterThan(20_000);
    expect(wrong.slice(0, 20), `${wrong.length} strings drawn at another width`).toEqual([]);
  }, 120_000);
});

describe('the real program', () => {
  let session: TmuxSession | null = null;
  let root: string | null = null;
  afterEach(() => {
    session?.kill();
    if (root) removeDir(root);
    session = root = null;
  });

  it('at 80x24, rows full of emoji sequences and new characters stay in their place: nothing wraps, the frame holds', async () => {
    const now = Date.now();
    const MIXED = '👍🏽 ❤️ 1️⃣ 🏳️‍🌈 👩🏽‍💻 🇦🇧 🫨 ☰ ⚠️ ';
    root = tempDir('teamtop-width-');
    writeTeam(root, 'emoji', {
      team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
      teammates: { teammates: ['tm_a', 'tm_b', 'tm_c'].map((id, i) => ({
        id, name: MIXED.repeat(3), role: MIXED, last_heartbeat: iso(now - i * 60_000), task_current: `T${i}`,
      })) },
      manifest: [0, 1, 2].map((i) => ({ task_id: `T${i}`, subject: MIXED.repeat(4), owner: `tm_${'abc'[i]}`, status: 'in_progress' })),
      mailbox: [1, 2, 3, 4, 5].map((n) => ({ sequence: n, timestamp: iso(now - 60_000 + n), from: 'lead', to: 'tm_a', type: 'message', payload: MIXED.repeat(6) })),
    });
    session = new TmuxSession('width');
    session.start([process.execPath, BIN, '--root', root, '--team', 'emoji', '--no-bell'], 80, 24);
    const screen = await session.waitFor((s) => ['1 Teammates', '2 Tasks', '3 Mailbox', '4 Alerts'].every((p) => s.includes(p)) && s.includes('👍'));
    expect(screen).not.toContain('🏽'); // the skin tone went with the other presentation characters
    expect(screen).toContain('\ufffd'); // 🫨 and ☰, which this tmux cannot draw as measured
    const lines = screen.split('\n');
    expect(lines[0], 'the first row is the header: nothing wrapped and scrolled it off').toMatch(/^ ?teamtop/);
    expect(lines[23], 'the last row is the footer').toMatch(/q quit/);
    // Each row as the terminal holds it, drawn again: as wide as string-width (the layout) says.
    const widths = await measureInTmux(lines);
    expect(lines.map((l, i) => [l, widths[i]]).filter(([l, w]) => w !== stringWidth(l as string))).toEqual([]);
    for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(80);
  }, 60_000);
});

