// The timeline view, time to recover in an alert's detail, the post-mortem key and the lessons form.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { shortPath } from '../components/recordHandlers.js';
import { KEYS, type Driver } from './helpers/tui.js';
import { mountApp, type MountedApp } from './helpers/app.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';
import { initRepo } from './helpers/repo.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
let repo: string;
let root: string;
let reports: string;
let app: MountedApp | null = null;
let d: Driver;

beforeEach(() => {
  repo = tempDir('teamtop-repo-');
  initRepo(repo);
  root = join(repo, '.team-state');
  mkdirSync(root);
  reports = tempDir('teamtop-reports-');
  const dir = writeTeam(root, 'ops', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW) }, base_ref: 'main' },
    teammates: [{ id: 'tm_x', last_heartbeat: iso(NOW) }, { id: 'tm_y', last_heartbeat: iso(NOW) }],
    manifest: [{ id: 'T1', assigned_to: 'tm_x', status: 'in_progress', deliverables: [{ text: 'x', done: false }], updated_at: iso(NOW) }],
    mailbox: [
      { sequence: 1, timestamp: iso(NOW - 600_000), from: 'lead', to: 'tm_x', type: 'message', ack_required: true, payload: 'are you there?' },
      { sequence: 2, timestamp: iso(NOW - 300_000), from: 'tm_y', to: 'lead', type: 'message', payload: 'y reporting' },
      { sequence: 3, timestamp: iso(NOW - 60_000), from: 'tm_x', to: 'lead', type: 'ack', ack_sequence: 1 },
    ],
    events: [{ timestamp: iso(NOW - 400_000), type: 'build', scope: 'all', result: 'success' }],
  });
  writeFileSync(join(dir, 'actions.jsonl'), JSON.stringify({ time: iso(NOW - 120_000), action: 'wake', team: 'ops', args: { target: 'tm_x' }, plan: [], result: 'ok', effects: [] }) + '\n');
});
afterEach(async () => {
  await app?.unmount();
  app = null;
  removeDir(repo);
  removeDir(reports);
});

async function start(): Promise<void> {
  app = await mountApp(root, { now: NOW, size: { columns: 140, rows: 40 }, reportsDir: reports });
  d = app.d;
}

describe('history keys', () => {
  it('t shows messages, events, actions and alert spans in time order; f filters by teammate', async () => {
    await start();
    const f = await d.press('t', (x) => x.includes('Timeline — everyone') && x.includes('y reporting'));
    const order = ['are you there?', '◆ build', 'y reporting', '● wake'].map((s) => f.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(f).toMatch(/▲ message-unacked/);
    expect(f).toMatch(/▼ message-unacked/);
    const x = await d.press('f', (s) => s.includes('Timeline — teammate tm_x'));
    expect(x).not.toContain('y reporting');
    await d.press('f', (s) => s.includes('Timeline — teammate tm_y') && s.includes('y reporting'));
    await d.press(KEYS.escape, (s) => s.includes('1 Teammates'));
  });

  it('P writes the post-mortem report', async () => {
    await start();
    const said = await d.press('P', (x) => x.includes('post-mortem written to'));
    const [dir] = readdirSync(reports);
    // The footer names the directory whole (the path is said from ~ or the current directory).
    expect(said).toContain(`${dir}`);
    expect(shortPath(join(process.cwd(), 'reports', 'x'))).toBe(join('reports', 'x'));
    expect(dir).toMatch(/^postmortem-\d{8}-ops$/);
    for (const f of ['postmortem.md', 'summary.json', 'timeline.md', 'mailbox.jsonl', 'actions.jsonl']) expect(existsSync(join(reports, dir!, f)), f).toBe(true);
  });

  it('L asks four questions and appends the lesson to tasks/lessons.md in the team\'s repo', async () => {
    await start();
    await d.press('L', (x) => x.includes('Record a lesson'));
    for (const answer of ['message-unacked', 'tm_x missed a message', 'ask for acks', 'resend sooner']) {
      await d.press(answer, (x) => x.includes(`> ${answer}`));
      await d.press(KEYS.enter, () => true);
    }
    await d.waitFor((x) => x.includes('lesson recorded in'));
    const text = readFileSync(join(repo, 'tasks', 'lessons.md'), 'utf8');
    for (const s of ['ops', 'message-unacked', 'tm_x missed a message', 'ask for acks', 'resend sooner']) expect(text).toContain(s);
  });

  it('an alert\'s detail shows when it began, what addressed it, and that it is still open', async () => {
    const file = join(root, 'ops', 'mailbox.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8') + JSON.stringify({ sequence: 4, timestamp: iso(NOW - 240_000), from: 'lead', to: 'tm_y', type: 'message', ack_required: true, payload: 'y?' }) + '\n');
    writeFileSync(join(root, 'ops', 'actions.jsonl'), JSON.stringify({ time: iso(NOW - 100_000), action: 'resend', team: 'ops', args: { target: 'tm_y' }, plan: [], result: 'ok', effects: [] }) + '\n', { flag: 'a' });
    await start();
    await d.press('4', (x) => /MED\s+message-unacked/.test(x));
    let f = d.lastFrame();
    for (let i = 0; i < 5 && !/▸MED\s+message-unacked/.test(f); i++) { const prev = f; f = await d.press('j', (x) => x !== prev); }
    const detail = await d.press(KEYS.enter, (x) => x.includes('Time to recover') && !x.includes('reading the history'));
    expect(detail).toMatch(/began: +2026-02-28T14:56:30/);
    expect(detail).toMatch(/addressed by: resend at 2026-02-28T14:58:20/);
    expect(detail).toMatch(/cleared: +not yet/);
  });
});
