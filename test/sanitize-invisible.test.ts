// Characters whose width teamtop's measurement (string-width) and terminals disagree on must not
// reach the terminal raw. string-width counts every Default_Ignorable and format (Cf) code point as
// 0 columns; a terminal draws U+00AD (soft hyphen) in 1 column, the Hangul fillers U+115F and
// U+3164 in 2 and U+FFA0 in 1, the Arabic number signs U+0600–0605 in 1… and U+2028/2029 take 1
// column in string-width but none in tmux. One such character in a name made its row overflow:
// the row wrapped, the header scrolled off, rows repeated. sanitize() drops the whole class,
// reveal() shows it as <U+XXXX> (silently drops the joiner, U+FE0F and the tags inside an RGI
// emoji: tmux does not draw those sequences as string-width measures them, test/width-tmux.test.ts),
// safeJson() escapes it (an RGI emoji stays whole in JSON).
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { reveal, safeJson, sanitize } from '../src/safety/sanitize.js';
import { invalidState } from '../src/alerts/detectors/invalid-state.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { team, teammate, task } from './helpers/model.js';

const CLASS = /[\p{Default_Ignorable_Code_Point}\p{Cf}\u2028\u2029]/u;
const CLASS_ALL = /[\p{Default_Ignorable_Code_Point}\p{Cf}\u2028\u2029]/gu;
const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** Every code point of the class: Default_Ignorable (the Hangul fillers among them), Cf, U+2028/2029. */
function theClass(): number[] {
  const out: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (CLASS.test(String.fromCodePoint(cp))) out.push(cp);
  }
  return out;
}
const ALL = theClass();

/** The first class character of `s` (inside an emoji too), or null. */
function rawIn(s: string): string | null {
  const m = CLASS.exec(s);
  return m ? hex(m[0].codePointAt(0)!) : null;
}
/** Skin-tone modifiers and the keycap: how an emoji is drawn, dropped with its joiners. */
// eslint-disable-next-line no-misleading-character-class -- code points taken one at a time, on purpose
const PRESENTATION_ALL = /[\u{1f3fb}-\u{1f3ff}\u20e3]/gu;

describe('the class (Default_Ignorable, Cf, U+2028/2029)', () => {
  it('holds what the bug report and Unicode name', () => {
    for (const cp of [0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180e, 0x180f, 0x200b, 0x200d, 0x200f,
      0x202a, 0x202e, 0x2028, 0x2029, 0x2060, 0x206f, 0x3164, 0xfe00, 0xfe0f, 0xfeff, 0xffa0, 0xfff0, 0xfff8,
      0x0600, 0x0605, 0x06dd, 0x070f, 0x08e2, 0x110bd, 0x1bca0, 0x1bca3, 0x1d173, 0x1d17a, 0xe0000, 0xe0001, 0xe0041,
      0xe007f, 0xe0100, 0xe0fff]) expect(ALL, hex(cp)).toContain(cp);
    expect(ALL.length).toBeGreaterThan(4000);
  });
});

describe('sanitize(): no character of the class reaches a cell', () => {
  const places: Array<[string, (ch: string) => string]> = [
    ['between letters', (ch) => `a${ch}b`],
    ['alone', (ch) => ch],
    ['repeated', (ch) => `${ch}${ch}x${ch}`],
    ['after an emoji', (ch) => `😀${ch}😀`],
    ['after a text emoji', (ch) => `❤${ch}x`],
    ['after a keycap base', (ch) => `1${ch}\u20e3`],
    ['after a black flag', (ch) => `🏴${ch}\u{e007f}`],
    ['next to an RGI emoji', (ch) => `👨\u200d👩\u200d👧${ch}👍🏽${ch}`],
    ['in CJK', (ch) => `任务${ch}二`],
  ];
  it.each(places)('every code point of the class, %s', (_where, place) => {
    const bad: string[] = [];
    for (const cp of ALL) {
      const text = place(String.fromCodePoint(cp));
      for (const [how, out] of [['one line', sanitize(text)], ['multiline', sanitize(text, true)]] as const) {
        const raw = rawIn(out);
        if (raw) bad.push(`${hex(cp)} (${how}): ${raw} in ${JSON.stringify(out)}`);
      }
      // Nothing else added or removed (the separators become spaces; an emoji loses its modifiers and keycap).
      const plain = text.replace(CLASS_ALL, (c) => (c === '\u2028' || c === '\u2029' ? ' ' : '')).replace(PRESENTATION_ALL, '');
      if (sanitize(text) !== plain) {
        bad.push(`${hex(cp)}: ${JSON.stringify(sanitize(text))} is not ${JSON.stringify(plain)}`);
      }
      if (bad.length > 5) break;
    }
    expect(bad).toEqual([]);
  });

  it('the names of the bug report keep their letters and take the columns string-width says', () => {
    expect(sanitize('Engine\u00adengineer\u00adwith\u00adsoft\u00adhyphens')).toBe('Engineengineerwithsofthyphens');
    expect(sanitize('\u3164')).toBe('');
    expect(sanitize('a\u3164b\u115f\u1160c\uffa0d')).toBe('abcd');
    expect(stringWidth(sanitize('x\u3164'.repeat(20)))).toBe(20);
  });

  it('line and paragraph separators become a space, or a line break where lines are kept', () => {
    expect(sanitize('one\u2028two\u2029three')).toBe('one two three');
    expect(sanitize('one\u2028two\u2029three', true)).toBe('one\ntwo\nthree');
  });

  it('reduces an emoji sequence to its base characters, each drawn as wide as it is measured; JSON keeps it whole', () => {
    for (const [e, base] of [['👨\u200d👩\u200d👧', '👨👩👧'], ['👩\u200d💻', '👩💻'], ['🏳\ufe0f\u200d🌈', '🏳🌈'], ['❤\ufe0f', '❤'],
      ['1\ufe0f\u20e3', '1'], ['#\ufe0f\u20e3', '#'], ['🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}', '🏴'], ['👍🏽', '👍'],
      ['🇫🇷', '🇫🇷'], ['🧑🏽\u200d🚀', '🧑🚀']]) {
      expect(sanitize(e!), e).toBe(base);
      expect(sanitize(`name ${e} x`)).toBe(`name ${base} x`);
      expect(reveal(`a${e}b`)).toBe(`a${base}b`);
      expect(JSON.parse(safeJson(e))).toBe(e);
      expect(safeJson(e)).toBe(JSON.stringify(e));
    }
  });

  it('composes only the Hangul written in parts: the rest of the text is not normalized', () => {
    // NFC over a whole text reorders (and composes) combining marks, in time quadratic in a long run of them.
    const marks = 'e\u0301\u0316';
    expect(sanitize(`\u1112\u1161\u11ab ${marks}`)).toBe(`\ud55c ${marks}`);
    expect(sanitize(`\uac00\u11a8${marks.repeat(3)}`)).toBe(`\uac01${marks.repeat(3)}`);
  });

  it('regional indicators that pair into no flag become their letters; a character the terminal cannot draw as measured becomes U+FFFD', () => {
    expect(sanitize('🇦🇧 🇫🇷🇩 🇺')).toBe('AB 🇫🇷D U');
    expect(sanitize('new 🫨 emoji, trigram ☰')).toBe('new \ufffd emoji, trigram \ufffd');
    expect(reveal('new 🫨')).toBe('new <U+1FAE8>');
    // Hangul in separate jamo (a decomposed file name) is composed; a stray vowel is not drawn as measured.
    expect(sanitize('\u1112\u1161\u11ab\uae00')).toBe('한글');
    expect(sanitize('x\u1161')).toBe('x\ufffd');
  });

  it('drops the joiners outside an RGI emoji (tmux draws "a\\u200d😀" in 1 column, string-width in 3)', () => {
    expect(sanitize('a\u200d😀')).toBe('a😀');
    expect(sanitize('😀\u200da')).toBe('😀a');
    expect(sanitize('😀\u200d😀')).toBe('😀😀');
    expect(sanitize('a\ufe0fb\u{e0041}c')).toBe('abc');
    expect(sanitize('👨\u200d👩\u200d👧\u200d')).toBe('👨👩👧');
    expect(sanitize('\u200d'.repeat(50) + '👍')).toBe('👍');
  })

  it('long texts of emoji and joiners stay safe', () => {
    for (const s of [('😀\u200d').repeat(20_000), ('a😀\u200d').repeat(20_000), ('👨\u200d👩\u200d👧 ').repeat(5_000), ('1\u200d').repeat(20_000)]) {
      expect(rawIn(sanitize(s))).toBeNull();
      expect(rawIn(reveal(s).replace(/<U\+[0-9A-F]+>/g, ''))).toBeNull();
    }
  });
});

describe('reveal(): the class shown as <U+XXXX> in detail views', () => {
  it('every code point of the class', () => {
    const bad: string[] = [];
    for (const cp of ALL) {
      const out = reveal(`a${String.fromCodePoint(cp)}b`);
      if (out !== `a<${hex(cp)}>b`) bad.push(`${hex(cp)}: ${JSON.stringify(out)}`);
      if (bad.length > 5) break;
    }
    expect(bad).toEqual([]);
    expect(reveal('Engine\u00adengineer\u3164')).toBe('Engine<U+00AD>engineer<U+3164>');
    expect(reveal('x\u{e0041}')).toBe('x<U+E0041>');
  });
});

describe('safeJson(): the class escaped, still valid JSON', () => {
  it('every code point of the class', () => {
    const bad: string[] = [];
    for (const cp of ALL) {
      const v = { name: `a${String.fromCodePoint(cp)}b` };
      const out = safeJson(v);
      if (CLASS.test(out) || JSON.parse(out).name !== v.name) bad.push(`${hex(cp)}: ${out}`);
      if (bad.length > 5) break;
    }
    expect(bad).toEqual([]);
  });
});

describe('invalid-state names such an id with the character escaped, not raw', () => {
  it('the soft hyphen and the Hangul filler', () => {
    const t = team({
      teammates: [teammate({ id: 'Engine\u00adengineer' }), teammate({ id: 'a\u3164b' })],
      tasks: [task({ id: 'T\u2060' })],
    });
    const alerts = invalidState({ team: t, now: 0, thresholds: DEFAULT_THRESHOLDS });
    const summaries = alerts.map((a) => a.summary);
    expect(summaries).toContain('teammate id "Engine<U+00AD>engineer" contains an invisible or formatting character U+00AD; actions on it are refused');
    expect(summaries).toContain('teammate id "a<U+3164>b" contains an invisible or formatting character U+3164; actions on it are refused');
    expect(summaries).toContain('task id "T<U+2060>" contains an invisible or formatting character U+2060; actions on it are refused');
    // An emoji keycap in an id (U+FE0F is refused) shows whole, not as the digit a cell would draw.
    const kc = invalidState({ team: team({ teammates: [teammate({ id: 'kc1\ufe0f\u20e3' })] }), now: 0, thresholds: DEFAULT_THRESHOLDS });
    expect(kc.map((a) => a.summary)).toEqual(['teammate id "kc1<U+FE0F><U+20E3>" contains an invisible or formatting character U+FE0F; actions on it are refused']);
    for (const s of summaries) expect(rawIn(s), s).toBeNull();
  });
});

describe('ids in cells', () => {
  it('the header, detail titles and waits-on lines name ids as the cells do', async () => {
    const { render } = await import('ink-testing-library');
    const { createElement } = await import('react');
    const { Header } = await import('../components/Header.js');
    const { teammateDetail, taskDetail } = await import('../src/tui/details.js');
    const t = team({ id: 'crew\u00a0x', teammates: [teammate({ id: 'tm\u200b' })], tasks: [task({ id: 'T1 ', dependsOn: ['T2\u200b'] })] });
    const clock = { now: () => 0, subscribe: () => () => undefined };
    const header = render(createElement(Header, { team: t, teamIndex: 0, teamCount: 1, archived: 0, alerts: [], clock, readonly: false, width: 120 }));
    expect(header.lastFrame()).toContain('crew<U+00A0>x');
    header.unmount();
    expect(teammateDetail(t.teammates[0]!, t, 0)[0]!.text).toContain('Teammate tm<U+200B>');
    const lines = taskDetail(t.tasks[0]!, t).map((l) => l.text).join('\n');
    expect(lines).toContain('Task T1\u2420');
    expect(lines).toContain('T2<U+200B>  (unknown task)');
  });

  it('nothing that tells two ids apart is dropped or reduced: skin tones, keycaps, stray indicators and joiners are shown; a Prometheus label keeps them too', async () => {
    const { shownId } = await import('../src/safety/sanitize.js');
    const { label } = await import('../src/metrics/exposition.js');
    expect(shownId('tm🏽')).toBe('tm<U+1F3FD>');
    expect(shownId('T1\u20e3')).toBe('T1<U+20E3>');
    expect(shownId('🇦🇧')).toBe('<U+1F1E6><U+1F1E7>');
    expect(shownId('x\u{1fae8}')).toBe('x<U+1FAE8>');
    expect(shownId('👍\ufe0f')).toBe('👍<U+FE0F>');
    expect(shownId('🇫🇷')).toBe('🇫🇷'); // a flag is what it shows
    for (const [a, b] of [['tm🏽', 'tm'], ['T1\u20e3', 'T1'], ['🇦🇧', 'AB'], ['👨\u200d👩', '👨👩']]) {
      expect(shownId(a!)).not.toBe(shownId(b!));
      expect(label(a)).not.toBe(label(b));
    }
    expect(label('👨\u200d👩\u200d👧')).toBe('👨\u200d👩\u200d👧'); // not drawn in a cell: the emoji stays whole
    // Written in parts, an id shows its parts: never the same on screen as the id written whole.
    expect(shownId('cafe\u0301')).toBe('cafe<U+0301>');
    expect(shownId('café')).toBe('café');
    expect(shownId('uni\u1112\u1161\u11ab')).toBe('uni\u1112<U+1161><U+11AB>');
    expect(shownId('uni한')).toBe('uni한');
    expect(shownId('कार्य')).toBe('कार्य'); // a combining mark in an id written whole is as it is
  });

  it('an id with hidden characters shows them, so it never looks like the real one', async () => {
    const { shownId } = await import('../src/safety/sanitize.js');
    const { messageCells } = await import('../src/tui/panes.js');
    expect(shownId('tm_api')).toBe('tm_api');
    expect(shownId('tm_api\u001b[31m')).toBe('tm_api␛[31m');
    expect(shownId('tm\u00adapi')).toBe('tm<U+00AD>api');
    expect(shownId('tm\napi')).toBe('tm␊api');
    expect(shownId('tm_api ')).toBe('tm_api␠');
    expect(shownId('tm_api\u00a0')).toBe('tm_api<U+00A0>');
    expect(shownId('tm\u2003api')).toBe('tm<U+2003>api');
    expect(shownId('doc writer')).toBe('doc writer');
    const cells = messageCells(
      { sequence: 1, timestamp: 0, from: 'tm_api\u001b[31m', to: ['lead'], type: 'message', priority: 'normal', payload: 'hi', extra: {} } as never,
      { acks: new Map(), mailbox: { aggregates: { unacked: new Map(), lastAckedSeq: new Map() } } } as never, 0, {} as never,
    ) as Record<string, unknown>;
    expect(String(cells.route)).toContain('tm_api␛[31m →');
  });
});

describe('a payload row', () => {
  it('looks at no more of a payload than a row can show (a megabyte payload is cut before it is sanitized)', async () => {
    const { payloadCell } = await import('../src/tui/panes.js');
    const huge = `${'1'.repeat(1_000_000)}\u200d`;
    for (const payload of [huge, { text: huge }, { data: huge }]) {
      const cell = payloadCell({ sequence: 1, timestamp: 0, from: 'a', to: ['b'], type: 'message', priority: 'normal', payload, extra: {} } as never);
      expect(cell.length).toBeLessThanOrEqual(1024);
      expect(cell).toMatch(/^(\{"data":")?1{20}/);
    }
    // Text behind invisible characters is still shown, and a cut never splits a surrogate pair.
    const cell = (payload: string): string => payloadCell({ sequence: 1, timestamp: 0, from: 'a', to: ['b'], type: 'message', priority: 'normal', payload, extra: {} } as never);
    expect(cell(`${'\u200b'.repeat(1023)}😀 tail text`)).toBe('😀 tail text');
    expect(cell(`${'\u200b'.repeat(5000)}hidden no more`)).toBe('hidden no more');
    expect(cell(`${'a'.repeat(1023)}😀`)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
