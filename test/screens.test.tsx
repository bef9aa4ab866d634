// Readable screens: columns sized from what they show (short ids stay short, a summary gets the
// room), nothing cut while there is room, lists of dependencies with what is unfinished first, and
// message payloads as their text, not as JSON.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fitColumns, type Column } from '../src/tui/columns.js';
import { mountApp, type MountedApp } from './helpers/app.js';
import { removeDir, tempDir, writeTeam, iso } from './helpers/state.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
let root: string;
let app: MountedApp | null = null;

beforeEach(() => {
  root = tempDir('teamtop-screens-');
  writeTeam(root, 'crew', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW) } },
    teammates: [
      { id: 'tm_a', status: 'reassigned', last_heartbeat: iso(NOW - 60_000) },
      { id: 'tm_b', status: 'active', last_heartbeat: iso(NOW - 60_000) },
    ],
    manifest: [
      { id: 'S-1', name: 'schema', assigned_to: 'tm_a', status: 'completed' },
      { id: 'S-2', name: 'engine', assigned_to: 'tm_b', status: 'completed' },
      { id: 'S-3', name: 'wire it all together', assigned_to: 'tm_b', status: 'in_progress', depends_on: ['S-1', 'S-2', 'S-4'] },
      { id: 'S-4', name: 'docs', assigned_to: 'tm_a', status: 'pending' },
    ],
    mailbox: [
      { sequence: 1234567, timestamp: iso(NOW - 30_000), from: 'lead', to: 'tm_b', type: 'resend_batch', priority: 'critical', payload: { text: 'Please acknowledge the schema change', task_id: 'S-3' } },
      { sequence: 1234568, timestamp: iso(NOW - 20_000), from: 'tm_b', to: 'lead', type: 'idle_notification', payload: 'idle' },
    ],
  });
});
afterEach(async () => {
  await app?.unmount();
  app = null;
  removeDir(root);
});

describe('columns', () => {
  it('a content-sized column is as wide as its widest cell (capped); the text column takes the rest', () => {
    const cols: Column[] = [{ id: 'id', title: 'TASK', min: 8, max: 24 }, { id: 'name', title: 'NAME', min: 10, flex: 1 }, { id: 'st', title: 'STATUS', min: 11, max: 12 }];
    const w = fitColumns(cols, 80, { id: 5, name: 70, st: 9 });
    expect(w.map((x) => [x.col.id, x.width])).toEqual([['id', 5], ['name', 80 - 5 - 9 - 2], ['st', 9]]);
    expect(fitColumns(cols, 80, { id: 60, name: 10, st: 30 }).map((x) => x.width)).toEqual([24, 80 - 24 - 12 - 2, 12]);
  });
});

describe('at 120×40', () => {
  it('nothing that fits is cut: long sequences, types, priorities, statuses; WAITS ON lists what is unfinished first; payloads read as text', async () => {
    app = await mountApp(root, { now: NOW, size: { columns: 120, rows: 40 } });
    const f = app.d.lastFrame();
    expect(f).toMatch(/1234567 .*resend_batch +critical .*Please acknowledge the schema change/);
    expect(f).toContain('idle_notification');
    expect(f).not.toContain('{"text"');
    expect(f).toMatch(/tm_a +reassigned/);
    expect(f).toMatch(/S-3 +wire it all together +tm_b +in_progress +S-4,✓S-1,✓S-2/);
    // Short ids keep short columns: the task id column is as wide as "TASK".
    expect(f).toMatch(/\n TASK NAME /);
  });
});

describe('detail and timeline text', () => {
  it('evidence is aligned key/value lines; a list reads as a list; an object as indented fields', async () => {
    const { alertDetail } = await import('../src/tui/details.js');
    const { makeAlert } = await import('../src/alerts/types.js');
    const a = makeAlert({
      kind: 'dependency-cycle', severity: 'critical', subject: ['A', 'B'], summary: 'cycle', since: null, workflow: 'break it',
      evidence: { chain: ['A', 'B'], owners: { A: 'tm_a', B: null }, edges: [['A', 'B'], ['B', 'A']] },
    });
    const text = alertDetail({ ...a, seenSince: NOW - 5 * 60_000 }, NOW).map((l) => l.text);
    const ev = text.slice(text.indexOf('Evidence') + 1, text.indexOf('Suggested recovery') - 1);
    expect(ev).toEqual(['  chain:  A, B', '  owners:', '    A: tm_a', '    B: –', '  edges:  [["A","B"],["B","A"]]']);
    expect(text).toContain('  since: not in the state files (on screen for 5m; "Time to recover" below says when the history shows it began)');
  });

  it('a wrapped timeline entry continues under its details, not at column 0', async () => {
    const { wrapLine } = await import('../src/tui/columns.js');
    const { timelineLines } = await import('../src/tui/history-view.js');
    const [line] = timelineLines([{ time: NOW, kind: 'message', actor: 'lead', event: 'message', details: 'word '.repeat(30).trim(), teammates: [] }]);
    const wrapped = wrapLine(line!.text, 80, line!.hang);
    expect(wrapped.length).toBeGreaterThan(1);
    for (const l of wrapped.slice(1)) expect(l).toMatch(/^ {47}word/);
  });

  it('the help counts keys, and says its position is in lines', async () => {
    app = await mountApp(root, { now: NOW, size: { columns: 100, rows: 20 } });
    const f = await app.d.press('?', (x) => /Help — \d+ keys · lines 1-\d+\/\d+/.test(x));
    expect(f).toMatch(/Help — (2[5-9]|3\d) keys/);
  });
});

describe('the header on a narrow terminal', () => {
  it('keeps the clock, the alert counts and the archive count; shortens and drops the rest first', async () => {
    const { fitHeader } = await import('../components/Header.js');
    const parts = [
      { text: 'teamtop', drop: 0 }, { text: ' │ ', drop: 0 }, { text: 'beta-cycle', drop: 0 }, { text: ' [2/4]', drop: 3 },
      { text: ' +2 hidden (e)', drop: 4, short: ' +2' }, { text: ' active', drop: 2 }, { text: ' · ~/work/project, started 14:02', drop: 6 },
      { text: ' │ ', drop: 5 }, { text: '3 tm · 4 tasks · 20 msgs', drop: 5, short: '3tm 4t 20m' }, { text: ' │ ', drop: 0 },
      { text: '2 critical', drop: 0, short: '2c' }, { text: ' │ 1 archived', drop: 0, short: ' │ 1 arch' }, { text: ' │ 22:02', drop: 0 },
    ];
    const text = (w: number): string => fitHeader(parts, w).map((p) => p.text).join('');
    expect(text(200)).toBe('teamtop │ beta-cycle [2/4] +2 hidden (e) active · ~/work/project, started 14:02 │ 3 tm · 4 tasks · 20 msgs │ 2 critical │ 1 archived │ 22:02');
    for (const w of [80, 60, 50]) {
      const t = text(w);
      expect(t.length, t).toBeLessThanOrEqual(w);
      expect(t).toMatch(/│ 22:02$/);
      expect(t).toMatch(/1 arch/);
    }
    expect(text(90)).toBe('teamtop │ beta-cycle [2/4] +2 active │ 3tm 4t 20m │ 2 critical │ 1 archived │ 22:02');
  });
});
