// Hostile text: every string a state file can carry — names, ids, task titles, payloads, paths,
// error messages — must reach the terminal sanitized. A corpus of escape sequences (CSI, OSC
// titles, hyperlinks, clipboard writes, DCS), C1 and C0 controls and bidi overrides is written into
// every field of a native team; the whole TUI is walked (panes, help, filter, every detail view,
// the action dialogs, team switching, the footer error line) and no frame may contain an ESC, a C1
// or C0 control (other than \n) or a bidi control. In ink-testing-library chalk emits no colour
// codes, so any such byte in a frame is a leak. Detail views must show what was removed visibly.
// The headless commands (check, check --json, act --dry-run) get the same corpus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NativeSource } from '../src/sources/native/source.js';
import { partitionAcked } from '../src/alerts/acks.js';
import { reveal, sanitize } from '../src/safety/sanitize.js';
import type { Alert } from '../src/alerts/types.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import { KEYS, type Driver } from './helpers/tui.js';
import { mountApp, type MountedApp } from './helpers/app.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';
import { runCli } from './helpers/cli.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const MIN = 60_000;

// ---------- the corpus ----------
const CORPUS: Record<string, string> = {
  csiClear: '\u001b[2J',
  csiRed: '\u001b[31m',
  csiAltScreenOff: '\u001b[?1049l',
  oscTitle0: '\u001b]0;pwned\u0007',
  oscTitle2: '\u001b]2;pwned\u001b\\',
  oscTitleSpaces: '\u001b]0;you have been pwned\u0007',
  osc8: '\u001b]8;;https://evil.example/\u001b\\click me\u001b]8;;\u001b\\',
  osc52: '\u001b]52;c;cm0gLXJmIC8=\u0007',
  dcs: '\u001bP1$qm\u001b\\',
  c1Csi: '\u009b31m',
  c1Osc: '\u009d0;c1 title\u009c',
  c1Other: '\u0085\u008d\u009d',
  c0: '\u0000\u0007\u0008\r\u000b\u000c\u007f',
  bidi: '\u202e\u2066\u2067\u2068\u2069\u200f\u202a\u061c',
};
const ALL = Object.values(CORPUS).join('');
/** A field's hostile text: a label (to find it again), the whole corpus, and a trailer. */
const ht = (label: string): string => `${label}${ALL}end`;
/** A long line (far wider than the terminal) with the corpus at both ends and in the middle. */
const LONG = `${ALL}${'L'.repeat(600)}${ALL}${' word'.repeat(300)}${ALL}`;
const MULTILINE = `first ${ALL}\nsecond\twith a tab ${ALL}\n\n${LONG}`;

/** What must never appear in a frame: C0 (except \n), DEL, C1, and bidi controls. */
const LEAK = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function leakIn(text: string): string | null {
  const m = LEAK.exec(text);
  if (!m) return null;
  const i = m.index;
  const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} at ${i}: …${JSON.stringify(text.slice(Math.max(0, i - 80), i + 30))}…`;
}

// ---------- the hostile team ----------
const EVIL_TM = `tmE${ALL}`;
const CYCLE_A = `cyA${ALL}`;
const CYCLE_B = `cyB${ALL}`;
/** A file name on disk can carry escapes too (checkpoint files are listed from the directory). */
const EVIL_FILE = `ck\u001b]0;pwned\u0007\u009b31m\u202e-latest.json`;
const BROKEN_EVIL_FILE = `bad\u001b[2J\u0085\u2066-latest.json`;
/** Team directories are listed from the disk as well. */
const EVIL_TEAM_DIR = `dir\u001b]0;pwned\u0007\u009b31m\u202e`;

function writeHostileRoot(root: string): void {
  writeTeam(root, 'hostile', {
    team: {
      team_id: ht('TEAMID'), team_status: 'active', created_at: iso(NOW - 300 * MIN),
      lead: { id: ht('LEAD'), last_heartbeat: iso(NOW - 20 * MIN), status: ht('LEADSTATUS'), [ht('LEADX')]: ht('LEADXV') },
      lead_session_id: ht('SESSION'), base_ref: ht('BASEREF'), [ht('TEAMX')]: { nested: ht('TEAMXV') },
    },
    teammates: [
      {
        id: 'tm_safe', name: ht('NAME'), role: ht('ROLE'), status: ht('STATUS'), last_heartbeat: iso(NOW - 20 * MIN),
        context_tokens_used: 97, context_tokens_max: 100, task_current: ht('TASKCUR'), completion_percent: 40,
        messages_pending: 7, [ht('XKEY')]: ht('XVAL'), nested: { deep: [ht('NEST'), { k: ht('NESTK') }] }, longer: LONG,
      },
      { id: EVIL_TM, name: ht('ENAME'), role: ht('EROLE'), status: ht('ESTATUS'), last_heartbeat: iso(NOW - 120 * MIN), task_current: LONG },
      { id: 'tm_two', name: ht('TWO'), status: 'active', last_heartbeat: iso(NOW - 1 * MIN), task_current: MULTILINE },
      { id: EVIL_TM, name: ht('DUP'), status: 'active', last_heartbeat: iso(NOW) },
    ],
    manifest: { tasks: [
      {
        id: 'T1', name: ht('TNAME'), assigned_to: 'tm_safe', status: 'in_progress', completion_percent: 50,
        started_at: iso(NOW - 240 * MIN), updated_at: iso(NOW - 180 * MIN),
        deliverables: [{ text: ht('DELIV'), done: false }, ht('DELIVSTR')], description: MULTILINE,
        blocking_factor: ht('BF'), depends_on: [`dep${ALL}`], [ht('TASKX')]: ht('TASKXV'),
      },
      { id: 'T2', name: ht('T2NAME'), owner: 'tm_two', status: 'pending', depends_on: ['T1'], description: LONG },
      { id: CYCLE_A, subject: ht('CYANAME'), owner: EVIL_TM, status: 'blocked', depends_on: [CYCLE_B], blocking_factor: ht('CYABF') },
      { task_id: CYCLE_B, name: ht('CYBNAME'), owner: `own${ALL}`, status: 'blocked', blockedBy: [CYCLE_A] },
      { id: 'T3', name: ht('T3NAME'), assigned_to: 'tm_two', status: 'completed', completed_at: iso(NOW - 100 * MIN), deliverables: [{ text: ht('T3DELIV'), done: true }] },
    ] },
    mailbox: [
      JSON.stringify({
        sequence: 1, timestamp: iso(NOW - 10 * MIN), from: `fr${ALL}`, to: ['tm_safe', `to${ALL}`], type: ht('TYPE'),
        priority: ht('PRI'), payload: `${ht('PAY1')}${LONG}`, ack_required: true, timeout: ht('TIMEOUT'), [ht('MKEY')]: ht('MVAL'),
      }),
      JSON.stringify({
        sequence: 2, timestamp: iso(NOW - 9 * MIN), from: 'tm_safe', to: 'lead', type: 'message', priority: 'high',
        payload: { [ht('PK')]: ht('PV'), nested: [ht('PN'), { deeper: MULTILINE }] }, required_response: true,
      }),
      JSON.stringify({ sequence: 3, timestamp: iso(NOW - 8 * MIN), from: `to${ALL}`, to: `fr${ALL}`, type: 'ack', ack_sequence: 1 }),
      JSON.stringify({ sequence: 4, timestamp: iso(NOW - 7 * MIN), from: 'tm_two', to: 'all', type: 'message', payload: MULTILINE, ack_required: true }),
      JSON.stringify({ sequence: 9, timestamp: iso(NOW - 6 * MIN), from: 'tm_safe', to: EVIL_TM, type: 'message', payload: ht('PAY9'), ack_required: true, timeout: '10sec' }),
      // Not JSON: V8's message quotes the offending character.
      `\u009b31m{"sequence": 10}`,
      `\u202e{"sequence": 11}`,
      // Valid JSON, invalid record.
      JSON.stringify({ sequence: ht('SEQ'), payload: ht('BADLINE') }),
    ].map((l) => l + '\n').join(''),
    events: [
      { timestamp: iso(NOW - 30 * MIN), type: 'hook_violation', pattern: ht('PATTERN'), file: `${ht('FILE')}/x.ts`, line: 12, teammate: EVIL_TM, commit: ht('COMMIT'), content: `${ht('CONTENT')}${LONG}` },
      { timestamp: iso(NOW - 29 * MIN), type: 'hook_violation', pattern: ht('PAT2'), file: 'src/y.ts', teammate: 'tm_safe', commit: 'abcdef0123', content: MULTILINE, violation_id: ht('VID') },
      { timestamp: iso(NOW - 28 * MIN), type: 'compaction', teammate: EVIL_TM },
      { timestamp: iso(NOW - 27 * MIN), type: 'requirements_changed', task_id: 'T3', summary: ht('REQCHANGE') },
      { timestamp: iso(NOW - 26 * MIN), type: 'build', scope: ht('SCOPE'), result: 'failure', error: ht('BUILDERR') },
      { timestamp: iso(NOW - 25 * MIN), type: ht('EVTYPE'), [ht('EVK')]: ht('EVV') },
    ],
    checkpoints: {
      'tm_safe-latest.json': {
        checkpoint_id: ht('CKID'), teammate_id: 'tm_safe', timestamp: iso(NOW - 30 * MIN), task_id: ht('CKTASK'),
        completion_percent: 40, last_action: ht('LASTACT'), next_step: ht('NEXT'), files_modified: [`${ht('FMOD')}/a.ts`],
        notes: MULTILINE, [ht('CKX')]: ht('CKXV'),
      },
      'evil-latest.json': { teammate_id: EVIL_TM, timestamp: iso(NOW - 300 * MIN), last_action: ht('ELAST'), next_step: LONG, notes: ht('ENOTES') },
      [EVIL_FILE]: { teammate_id: 'tm_two', timestamp: iso(NOW - 40 * MIN), last_action: ht('TWOLAST'), notes: ht('TWONOTES') },
    },
  });
  const ck = join(root, 'hostile', 'checkpoints');
  // Broken files: the error (footer, invalid-state alert) names the file and quotes the content.
  writeFileSync(join(ck, 'broken-latest.json'), `\u009b31m{"notes": "${ALL.replace(/[\\"]/g, '')}"}`);
  writeFileSync(join(ck, BROKEN_EVIL_FILE), `{"notes": 1,}`);
  // An events line that is not JSON.
  writeFileSync(join(root, 'hostile', 'events.jsonl'), `\u2066${ALL}{"type":\n`, { flag: 'a' });

  // A second team: everyone reports done, the build failed with a hostile error; a hostile repo.
  writeTeam(root, 'zeta', {
    team: { team_status: 'active', repo: ht('REPO'), base_ref: ht('ZBASE'), lead: { id: 'lead', last_heartbeat: iso(NOW) } },
    teammates: [
      { id: 'tz1', name: ht('ZNAME'), role: ht('ZROLE'), status: 'done', last_heartbeat: iso(NOW - MIN), task_current: ht('ZTASK') },
      { id: `tz${ALL}`, name: ht('ZEVIL'), status: 'green', last_heartbeat: iso(NOW - MIN) },
    ],
    mailbox: [{ sequence: 1, timestamp: iso(NOW - MIN), from: 'lead', to: 'tz1', type: 'message', payload: ht('ZPAY') }],
    events: [{ timestamp: iso(NOW - 2 * MIN), type: 'build', scope: ht('ZSCOPE'), result: 'failure', error: `\n  ${ht('ZERR')}\nsecond ${ALL}` }],
  });

  // A third team whose directory name itself is hostile, with a broken required file.
  const dir = join(root, EVIL_TEAM_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'teammates.json'), `\u202e[{"id": "x"}`);
}

// ---------- the TUI walk ----------
let root: string;
let app: MountedApp | null = null;
let source: NativeSource;
let d: Driver;

const DETAIL_HINT = 'j/k scroll · g/G top/bottom · Esc close';
const PAGE_DOWN = '\u001b[6~';
const PANE_KEYS = { teammates: '1', tasks: '2', mailbox: '3', alerts: '4' } as const;
type Pane = keyof typeof PANE_KEYS;
// (A dialog is a box over the panes: the panes alone means no box either.)
const inPanes = (f: string): boolean => f.includes('1 Teammates') && !f.includes(DETAIL_HINT) && !f.includes('Help — ') && !f.includes('╭');

function teamOf(id: string): TeamSnapshot {
  const t = source.getSnapshot().teams.find((x) => x.id === id);
  if (!t) throw new Error(`no team ${id}`);
  return t;
}

function alertsOf(team: TeamSnapshot): readonly Alert[] {
  return partitionAcked(app!.engine.getSnapshot().get(team.id) ?? [], team.acks).shown;
}

/** A predicate that recognises the detail view of row `i` of `pane`. */
function detailMatch(team: TeamSnapshot, pane: Pane, i: number): (f: string) => boolean {
  const open = (f: string): boolean => f.includes(DETAIL_HINT);
  const head = (s: string): string => s.slice(0, 24);
  switch (pane) {
    case 'teammates': {
      const t = team.teammates[i]!;
      const h = head(`Teammate ${reveal(t.id)}`);
      return (f) => open(f) && f.includes(h);
    }
    case 'tasks': {
      const t = team.tasks[i]!;
      const h = head(`Task ${reveal(t.id)}`);
      return (f) => open(f) && f.includes(h);
    }
    case 'mailbox': {
      const re = new RegExp(`Message #${team.mailbox.recent[i]!.sequence}(?!\\d)`);
      return (f) => open(f) && re.test(f);
    }
    case 'alerts': {
      const a = alertsOf(team)[i]!;
      const h = `${a.severity.toUpperCase()} ${a.kind}`;
      const s = head(`  ${reveal(a.summary)}`);
      return (f) => open(f) && f.includes(h) && f.includes(s);
    }
  }
}

const countOf = (team: TeamSnapshot, pane: Pane): number =>
  pane === 'teammates' ? team.teammates.length : pane === 'tasks' ? team.tasks.length
    : pane === 'mailbox' ? team.mailbox.recent.length : alertsOf(team).length;

/** Asserts that no frame drawn since the last check leaks; `stage` names what was being shown. */
let checked = 0;
function expectCleanFrames(stage: string): void {
  const frames = d.allFrames();
  const leaks = frames.slice(checked).map((f, i) => [checked + i, leakIn(f)] as const).filter(([, l]) => l !== null);
  checked = frames.length;
  expect(leaks.slice(0, 3), `${stage}: ${leaks.length} frame(s) leak`).toEqual([]);
}

/** Every detail view seen, by "team/pane/index": all frames from opening to closing it. */
const details = new Map<string, string[]>();

/** Opens every row of every pane of the current team, scrolls each detail view to the end. */
async function walkTeam(teamId: string): Promise<void> {
  for (const pane of Object.keys(PANE_KEYS) as Pane[]) {
    const team = teamOf(teamId);
    const n = countOf(team, pane);
    d.send(PANE_KEYS[pane]);
    d.send('g');
    for (let i = 0; i < n; i++) {
      if (i > 0) d.send('j');
      const from = d.frameCount();
      const first = await d.press(KEYS.enter, detailMatch(team, pane, i));
      // Page through the whole view: every line of it is drawn at least once.
      const posOf = (f: string): { end: number; total: number } | null => {
        const m = / \d+-(\d+)\/(\d+)\s*$/.exec(f.split('\n')[1] ?? '');
        return m ? { end: Number(m[1]), total: Number(m[2]) } : null;
      };
      let pos = posOf(first);
      while (pos && pos.end < pos.total) {
        const end = pos.end;
        pos = posOf(await d.press(PAGE_DOWN, (f) => (posOf(f)?.end ?? 0) > end));
      }
      await d.press(KEYS.escape, inPanes);
      details.set(`${teamId}/${pane}/${i}`, d.allFrames().slice(from));
      expectCleanFrames(`${teamId} ${pane} row ${i} (detail view)`);
    }
  }
}

beforeAll(async () => {
  root = tempDir('teamtop-hostile-');
  writeHostileRoot(root);
  app = await mountApp(root, { now: NOW, size: { columns: 140, rows: 45 }, initialTeam: 'hostile' });
  ({ d, source } = app);
  await d.waitFor((f) => f.includes('1 Teammates') && f.includes('hostile'));
});

afterAll(async () => {
  await app?.unmount();
  if (root) removeDir(root);
});

describe('hostile text from state files', () => {
  it('reaches the model intact (the corpus is really exercised)', () => {
    const h = teamOf('hostile');
    expect(h.teammates[0]!.name).toContain('\u001b]0;pwned\u0007');
    expect(h.tasks.map((t) => t.id)).toContain(CYCLE_A);
    expect(h.mailbox.recent[0]!.payload).toEqual(expect.stringContaining('\u009b31m'));
    expect(h.errors.some((e) => LEAK.test(e.file))).toBe(true);
    expect(h.errors.some((e) => LEAK.test(e.message))).toBe(true);
    const kinds = new Set(alertsOf(h).map((a) => a.kind));
    for (const k of ['hook-violation', 'invalid-state', 'dependency-cycle', 'teammate-dead', 'message-unacked']) expect(kinds).toContain(k);
    expect(alertsOf(teamOf('zeta')).map((a) => a.kind)).toContain('consolidation-failure');
    expect(source.getSnapshot().teams.map((t) => t.id)).toContain(EVIL_TEAM_DIR);
  });

  it('sanitize() removes whole sequences, not just their ESC: no title, URI or clipboard text is left behind', () => {
    expect(sanitize(ALL)).toBe('click me');
    expect(sanitize(`a${CORPUS.oscTitleSpaces}b${CORPUS.c1Osc}c${CORPUS.dcs}d\u001b(Be\u001b7f`)).toBe('abcdef');
    // An unterminated string sequence stays visible (minus its introducer) rather than hiding the rest.
    expect(sanitize('x\u001b]0;no terminator')).toBe('x0;no terminator');
    expect(sanitize(`l1${CORPUS.csiRed}\nl2\t${CORPUS.bidi}`, true)).toBe('l1\nl2\t');
  });

  it('never lets a control, escape or bidi character into a frame, through every view', async () => {
    // The help.
    await d.press('?', (f) => f.includes('Help — '));
    await d.press('G', (f) => f.includes('Help — '));
    await d.press(KEYS.escape, inPanes);
    expectCleanFrames('the panes and the help');
    // The timeline, for everyone and for each teammate in turn (its title names the teammate).
    await d.press('t', (f) => f.includes('Timeline — everyone'));
    for (let i = 0; i < teamOf('hostile').teammates.length; i++) await d.press('f', (f) => f.includes('Timeline — teammate'));
    await d.press(KEYS.escape, inPanes);
    expectCleanFrames('the timeline, teammate by teammate');

    // Action dialogs on the hostile team (before the walk, so the applied wake-up is walked too).
    d.send('1'); d.send('g');
    await d.press('w', (f) => f.includes('wake tm_safe — this will:'));
    await d.press('y', (f) => f.includes('wake: applied'));
    await d.waitFor((f) => inPanes(f) && teamOf('hostile').mailbox.recent.some((m) => m.type === 'wake_up'));
    await d.press('r', (f) => f.includes('resend tm_safe — this will:'));
    await d.press(KEYS.escape, inPanes);
    d.send('j'); // the hostile teammate id
    await d.press('w', (f) => f.includes('wake: refused'));
    await d.press(KEYS.enter, inPanes);
    await d.press('R', (f) => f.includes('Reassign cyA')); // the teammate's task, to a teammate picked by name
    await d.press(KEYS.escape, inPanes);

    d.send('2'); d.send('g'); // T1
    await d.press('R', (f) => f.includes('Reassign T1 (now tm_safe) to:'));
    await d.press('j', (f) => /▸ tm/.test(f));
    await d.press(KEYS.enter, (f) => f.includes('reassign T1 — this will:'));
    await d.press(KEYS.escape, inPanes);
    await d.press('c', (f) => f.includes('Complete T1 as the lead. Reason (required):'));
    for (const s of ['\u009b31m', '\u0085', '\u202e', '\u2066x\u2069', '\u200f', '\u0007', '\u000b', '\u000c', ' plain']) d.send(s);
    await d.press(KEYS.enter, (f) => f.includes('complete T1 — this will:'));
    await d.press(KEYS.escape, inPanes);
    d.send('j'); d.send('j'); // the cycle task with a hostile id
    await d.press('b', (f) => f.includes('j/k choose'));
    await d.press(KEYS.enter, (f) => f.includes('break-cycle: refused'));
    await d.press(KEYS.enter, inPanes);
    await d.press('R', (f) => f.includes('Reassign cyA'));
    await d.press(KEYS.enter, (f) => f.includes('reassign: refused'));
    await d.press(KEYS.enter, inPanes);
    // The id is refused before any reason is asked for.
    await d.press('c', (f) => f.includes('complete: refused'));
    await d.press(KEYS.enter, inPanes);
    await d.press('h', (f) => f.includes('halt — this will:'));
    await d.press(KEYS.escape, inPanes);
    await d.press('A', (f) => f.includes('Abort team hostile. Reason'));
    await d.press('x', (f) => f.includes('> x'));
    await d.press(KEYS.enter, (f) => f.includes('Type the team id (hostile)'));
    await d.press(KEYS.escape, inPanes);

    // The dependency-cycle alert: b picks an edge among hostile ids.
    d.send('4');
    const alerts = alertsOf(teamOf('hostile'));
    const ci = alerts.findIndex((a) => a.kind === 'dependency-cycle');
    d.send('g');
    for (let i = 0; i < ci; i++) d.send('j');
    await d.press('b', (f) => f.includes('j/k choose'));
    await d.press('j', (f) => f.includes('j/k choose'));
    await d.press(KEYS.enter, (f) => f.includes('break-cycle: refused'));
    await d.press(KEYS.enter, inPanes);
    expectCleanFrames('the action dialogs');

    // Every row of every pane, in detail.
    await walkTeam('hostile');

    // The filter prompt, typed with hostile text (as a paste would deliver it), in every pane.
    for (const key of Object.values(PANE_KEYS)) {
      d.send(key);
      await d.press('/', (f) => /filter \w+:/.test(f));
      for (const s of ['\u009b31m', '\u0085', '\u009d', '\u202e', '\u2066', '\u200f', '\u0007', '\u000b', 'e']) d.send(s);
      await d.press('n', (f) => /filter \w+: .*en/.test(f));
      await d.press(KEYS.enter, (f) => inPanes(f) && !/filter \w+:/.test(f));
      // The same characters typed inside one chunk, and an escape sequence pasted whole.
      await d.press('/', (f) => /filter \w+:/.test(f));
      d.send('\u202eab\u009b31m\u0085cd');
      d.send(CORPUS.oscTitle0!);
      await d.press(KEYS.escape, (f) => inPanes(f) && !/filter \w+:/.test(f) && !/ \(\d+\/\d+\)/.test(f));
    }
    // The filter matches the text as the pane shows it.
    d.send('2');
    await d.press('/', (f) => f.includes('filter tasks:'));
    d.send('TNAMEclick me');
    await d.press(KEYS.enter, (f) => /2 Tasks \(1\/5\)/.test(f) && !f.includes('filter tasks:'));
    await d.press(KEYS.escape, (f) => /2 Tasks \(5\)/.test(f));
    expectCleanFrames('the filter prompt');

    // Acknowledge an alert whose id carries hostile text: the footer message names it.
    d.send('4'); d.send('g');
    const hv = alertsOf(teamOf('hostile')).findIndex((a) => a.kind === 'hook-violation');
    for (let i = 0; i < hv; i++) d.send('j');
    await d.press('a', (f) => f.includes('acknowledged hook-violation'));

    // The other teams.
    await d.press(']', (f) => /zeta \[3\/3\]/.test(f));
    await d.press('1', (f) => f.includes('1 Teammates'));
    d.send('g');
    // The team's repo (a hostile path) is not a work tree: the footer says so.
    await d.press('w', (f) => /cannot plan: team\.json repo REPO/.test(f));
    await walkTeam('zeta');
    await d.press(']', (f) => /dir.* \[1\/3\]/.test(f));
    await walkTeam(EVIL_TEAM_DIR);
    // (A message from an action hides the error line for 5 s.)
    await d.waitFor((f) => /⚠ teammates\.json:1: invalid JSON/.test(f), 8000);
    await d.press(']', (f) => /hostile \[2\/3\]/.test(f));

    // The footer's error line showed the broken files (the newest error of the team).
    const frames = d.allFrames();
    expect(frames.some((f) => /\n⚠ [^\n]*invalid JSON/.test(f))).toBe(true);

    // Every frame, every byte.
    expect(frames.length).toBeGreaterThan(100);
    checked = 0;
    expectCleanFrames('the whole session');
    expect(d.errorFrames().filter((f) => leakIn(f) !== null)).toEqual([]);
  }, 120_000);

  it('shows what it removed in detail views (␛, \\x9b, <U+202E>), never silently', () => {
    const text = (key: string): string => {
      const f = details.get(key);
      if (!f) throw new Error(`detail ${key} was not opened`);
      // Lines are wrapped at spaces: compare with the whitespace collapsed.
      return f.join('\n').replace(/\s+/g, ' ');
    };
    const tm = text('hostile/teammates/0');
    expect(tm).toContain('NAME␛[2J␛[31m␛[?1049l␛]0;pwned␇');
    expect(tm).toContain('␛]8;;https://evil.example/␛\\click me');
    expect(tm).toContain('␛]52;c;cm0gLXJmIC8=␇');
    expect(tm).toContain('␛P1$qm␛\\');
    expect(tm).toContain('\\x9b31m');
    expect(tm).toContain('\\x85\\x8d\\x9d');
    expect(tm).toContain('␀␇␈␍␋␌␡');
    expect(tm).toContain('<U+202E><U+2066><U+2067><U+2068><U+2069><U+200F><U+202A><U+061C>');
    expect(tm).toContain('XKEY␛[2J'); // an unknown field's name
    expect(tm).toContain('LASTACT␛'); // the latest checkpoint
    expect(text('hostile/tasks/0')).toContain('DELIV␛[2J');
    const msg = text('hostile/mailbox/0');
    expect(msg).toContain('PAY1␛[2J');
    expect(msg).toContain('\\x9d0;c1 title\\x9c');
    expect(msg).toContain('<U+202E>');
    const h = teamOf('hostile');
    const hookIdx = alertsOf(h).findIndex((a) => a.kind === 'invalid-state' && a.summary.includes('\u009b'));
    expect(hookIdx).toBeGreaterThanOrEqual(0);
    expect(text(`hostile/alerts/${hookIdx}`)).toContain('\\x9b');
  });

  it('headless: check, check --json and act --dry-run print no control, escape or bidi character', () => {
    const check = runCli(['check', '--root', root]);
    expect(check.status, check.stderr).toBe(1);
    expect(check.stdout).toContain('hook-violation');
    expect(leakIn(check.stdout)).toBeNull();
    expect(leakIn(check.stderr)).toBeNull();

    const json = runCli(['check', '--root', root, '--json']);
    expect(json.status, json.stderr).toBe(1);
    expect(leakIn(json.stdout)).toBeNull();
    const parsed = JSON.parse(json.stdout) as { teams: Array<{ team_id: string; alerts: Array<{ summary: string }> }> };
    // Escaped, not lost: the parsed JSON carries the original text.
    const hostile = parsed.teams.find((t) => t.team_id === 'hostile')!;
    expect(hostile.alerts.some((a) => a.summary.includes('\u001b]0;pwned\u0007'))).toBe(true);
    expect(parsed.teams.map((t) => t.team_id)).toContain(EVIL_TEAM_DIR);

    for (const args of [
      ['act', 'wake', 'tm_safe', '--team', 'hostile', '--root', root, '--dry-run'],
      ['act', 'wake', 'tm_safe', '--team', 'hostile', '--root', root, '--dry-run', '--json'],
      // (An argument cannot carry NUL: the rest of the corpus is echoed in the refusal.)
      ['act', 'wake', EVIL_TM.replace('\u0000', ''), '--team', 'hostile', '--root', root, '--dry-run'],
      ['act', 'reassign', 'T1', '--to', 'tm_two', '--team', 'hostile', '--root', root, '--dry-run'],
      ['act', 'break-cycle', '--team', 'hostile', '--root', root, '--dry-run'],
      ['act', 'wake', 'tz1', '--team', 'zeta', '--root', root, '--dry-run'],
    ]) {
      const r = runCli(args);
      const what = `${args.slice(0, 3).join(' ')}: ${JSON.stringify(r.stdout + r.stderr)}`;
      expect(r.stdout + r.stderr, what).not.toBe('');
      expect(leakIn(r.stdout), what).toBeNull();
      expect(leakIn(r.stderr), what).toBeNull();
    }
    const plan = runCli(['act', 'wake', 'tm_safe', '--team', 'hostile', '--root', root, '--dry-run', '--json']);
    const p = JSON.parse(plan.stdout) as { effects: Array<{ message: { payload: { last_action: string } } }> };
    expect(p.effects[0]!.message.payload.last_action).toContain('\u009b31m');
  }, 120_000);
});
