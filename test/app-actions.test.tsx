// The recovery actions from the keyboard: each key shows its plan, applies on confirmation, and
// the panes reflect the change.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { KEYS, type Driver } from './helpers/tui.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';
import { mountApp, type MountedApp } from './helpers/app.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
let root: string;
let app: MountedApp | null = null;
let d: Driver;

beforeEach(async () => {
  root = tempDir();
  writeTeam(root, 'perf', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW) } },
    teammates: [
      { id: 'tm_opt', status: 'active', last_heartbeat: iso(NOW - 15 * 60_000) },
      { id: 'tm_rev', status: 'active', last_heartbeat: iso(NOW) },
      { id: 'tm_bench', status: 'active', last_heartbeat: iso(NOW) },
    ],
    manifest: [
      { id: 'P1', name: 'implement', assigned_to: 'tm_opt', status: 'blocked', depends_on: ['P3'] },
      { id: 'P2', name: 'review', assigned_to: 'tm_rev', status: 'blocked', depends_on: ['P1'] },
      { id: 'P3', name: 'benchmark', assigned_to: 'tm_bench', status: 'blocked', depends_on: ['P2'] },
    ],
    mailbox: [{ sequence: 1, timestamp: iso(NOW), from: 'lead', to: 'tm_opt', type: 'message', payload: 'go' }],
  });
});
afterEach(async () => {
  await app?.unmount();
  app = null;
  removeDir(root);
});

async function start(readonly = false): Promise<void> {
  app = await mountApp(root, { now: NOW, size: { columns: 110, rows: 34 }, readonly });
  d = app.d;
}

/** A manifest's tasks, whichever of its two shapes (a list, or { tasks }). */
const taskList = (m: unknown): Array<Record<string, unknown>> => (Array.isArray(m) ? m : (m as { tasks: Array<Record<string, unknown>> }).tasks);
const actionsLog = (): Array<Record<string, unknown>> => readFileSync(join(root, 'perf', 'actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('action keys', () => {
  it('w on a teammate: shows the plan, applies on y, and the message appears in the mailbox', async () => {
    await start();
    const plan = await d.press('w', (f) => f.includes('wake tm_opt — this will:'));
    expect(plan).toContain('mailbox: append wake_up (urgent) to tm_opt');
    await d.press('y', (f) => /wake_up/.test(f.split('3 Mailbox')[1] ?? '') && f.includes('wake: applied (message 2)'));
    expect(actionsLog()).toEqual([expect.objectContaining({ action: 'wake', result: 'ok' })]);
  });

  it('a refusal is recorded in actions.jsonl, as teamtop act records it', async () => {
    await start();
    await d.press('j', (f) => /▸tm_rev/.test(f));
    await d.press('r', (f) => f.includes('refused:'));
    // Recorded just after the dialog shows.
    const log = join(root, 'perf', 'actions.jsonl');
    for (let i = 0; i < 100 && !(existsSync(log) && readFileSync(log, 'utf8').endsWith('\n')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(actionsLog()).toEqual([expect.objectContaining({ action: 'resend', result: 'refused', args: { target: 'tm_rev' } })]);
  });

  it('checks before it asks: c on a completed task and L without a repository say so at once', async () => {
    const file = join(root, 'perf', 'team-manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    (Array.isArray(m) ? m : m.tasks)[0].status = 'completed';
    writeFileSync(file, JSON.stringify(m));
    await start();
    await d.press('2', (f) => /▸P1 /.test(f));
    const refused = await d.press('c', (f) => f.includes('refused:'));
    expect(refused).toContain('P1 is already completed');
    expect(refused).not.toContain('Reason');
    await d.press(KEYS.enter, (f) => f.includes('1 Teammates') && !f.includes('╭'));
    const said = await d.press('L', (f) => f.includes('no git repository'));
    expect(said).not.toContain('Failure type');
  });

  it('keys as people expect: q closes the help, a outside Alerts says where, Esc says cancelled, Enter never halts', async () => {
    await start();
    await d.press('?', (f) => f.includes('Help — '));
    const back = await d.press('q', (f) => f.includes('1 Teammates'));
    expect(back).not.toContain('Help — ');
    await d.press('a', (f) => f.includes('go to the Alerts pane (4) first'));
    await d.press('w', (f) => f.includes('this will:'));
    await d.press(KEYS.escape, (f) => f.includes('wake: cancelled — nothing was written'));
    const halt = await d.press('h', (f) => f.includes('halt — this will:'));
    expect(halt).toMatch(/y apply · n \/ Esc cancel/);
    // The dialog names its team (the panes behind it could show another by the time it is confirmed).
    expect(halt).toMatch(/│ team perf +│/);
    await d.press(KEYS.enter, (f) => f.includes('halt — this will:'));
    expect(existsSync(join(root, 'perf', 'actions.jsonl'))).toBe(false);
    await d.press('y', (f) => f.includes('halt: applied'));
  });

  it('Esc or n cancels: nothing is written', async () => {
    await start();
    await d.press('w', (f) => f.includes('this will:'));
    await d.press('n', (f) => f.includes('1 Teammates') && !f.includes('╭'));
    expect(existsSync(join(root, 'perf', 'actions.jsonl'))).toBe(false);
  });

  it('b on the cycle alert: pick the edge (suggested first), confirm, and the cycle alert is gone', async () => {
    await start();
    await d.press('4', (f) => /CRIT\s+dependency-cycle/.test(f));
    // Select the cycle alert (move down until it is the selected row).
    let f = d.lastFrame();
    for (let i = 0; i < 6 && !/▸CRIT\s+dependency-cycle/.test(f); i++) {
      const prev = f;
      f = await d.press('j', (x) => x !== prev);
    }
    f = await d.press('b', (x) => x.includes('remove which dependency?'));
    expect(f).toMatch(/▸ P1 stops waiting on P3 +\(suggested/);
    await d.press('j', (x) => /▸ P3 stops waiting on P2/.test(x));
    await d.press(KEYS.enter, (x) => x.includes('break-cycle P1 — this will:') && x.includes('P3 stops waiting on P2'));
    await d.press('y', (x) => x.includes('break-cycle: applied') && !/dependency-cycle/.test(x.split('4 Alerts')[1] ?? ''));
    const tasks = JSON.parse(readFileSync(join(root, 'perf', 'team-manifest.json'), 'utf8'));
    expect(tasks.find((t: { id: string }) => t.id === 'P3').depends_on).toEqual([]);
  });

  it('R on a task: pick the new owner, confirm, and the tasks pane shows it', async () => {
    await start();
    await d.press('2', (f) => f.includes('2 Tasks'));
    // Candidates best first, each with what ranked it.
    const pick = await d.press('R', (f) => f.includes('Reassign P1 (now tm_opt) to:'));
    expect(pick).toMatch(/▸ tm_bench — heard 0s ago · 1 open task/);
    expect(pick).toMatch(/ {2}tm_rev — heard 0s ago · 1 open task/);
    await d.press(KEYS.enter, (f) => f.includes('reassign P1 — this will:') && f.includes('reassign-tm_opt-'));
    await d.press('y', (f) => /P1 +implement +tm_bench/.test(f));
  });

  it('an answered question plans on the team it asked about, even when another team is on screen by then', async () => {
    // A second team with a task of the same id: planning on the team shown would reassign its P1.
    writeTeam(root, 'zulu', {
      team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW) } },
      teammates: [{ id: 'tm_z', status: 'active', last_heartbeat: iso(NOW) }, { id: 'tm_y', status: 'active', last_heartbeat: iso(NOW) }],
      manifest: [{ id: 'P1', name: 'other', assigned_to: 'tm_z', status: 'in_progress' }],
    });
    app = await mountApp(root, { now: NOW, size: { columns: 110, rows: 34 }, watch: true });
    d = app.d;
    await d.press('2', (f) => f.includes('2 Tasks') && /▸P1 +implement/.test(f));
    await d.press('R', (f) => f.includes('Reassign P1 (now tm_opt) to:'));
    // perf's directory goes (the team was cleaned up): zulu is shown behind the open question.
    rmSync(join(root, 'perf'), { recursive: true });
    await d.waitFor((f) => f.startsWith('teamtop │ zulu') && f.includes('Reassign P1 (now tm_opt) to:'));
    const said = await d.press(KEYS.enter, (f) => f.includes('team perf is no longer there — nothing was written'));
    expect(said).not.toContain('this will:');
    expect(existsSync(join(root, 'zulu', 'actions.jsonl'))).toBe(false);
  });

  it('a plan the files changed under is not applied: the plan as it is now is shown instead', async () => {
    await start();
    const manifest = join(root, 'perf', 'team-manifest.json');
    await d.press('2', (f) => /▸P1 +implement/.test(f));
    await d.press('R', (f) => f.includes('Reassign P1 (now tm_opt) to:'));
    await d.press(KEYS.enter, (f) => f.includes('reassign P1 — this will:') && f.includes('reassign-tm_opt-'));
    // Another writer gives P1 to tm_rev while the plan is on screen.
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    taskList(m).find((t) => t.id === 'P1')!.assigned_to = 'tm_rev';
    writeFileSync(manifest, JSON.stringify(m));
    const again = await d.press('y', (f) => f.includes('changed while the plan was open'));
    expect(again).toContain('reassign-tm_rev-');
    expect(taskList(JSON.parse(readFileSync(manifest, 'utf8'))).find((t: { id: string }) => t.id === 'P1').assigned_to).toBe('tm_rev');
    expect(existsSync(join(root, 'perf', 'actions.jsonl'))).toBe(false);
    // Confirmed as it is now, it applies: the brief written is the one the plan named.
    const brief = /reassign-tm_rev-\d{8}T\d{6}Z\.json/.exec(again)![0];
    app!.clock.advance(5_000);
    await d.press('y', (f) => f.includes('reassign: applied'));
    expect(existsSync(join(root, 'perf', brief))).toBe(true);
    expect(taskList(JSON.parse(readFileSync(manifest, 'utf8'))).find((t: { id: string }) => t.id === 'P1').assigned_to).toBe('tm_bench');
  });

  it('a task completed by its owner while the lead\'s completion was open is refused; the plan applied is the plan shown, to its times', async () => {
    await start();
    const manifest = join(root, 'perf', 'team-manifest.json');
    const read = (): Record<string, unknown> => taskList(JSON.parse(readFileSync(manifest, 'utf8'))).find((t: { id: string }) => t.id === 'P2');
    await d.press('2', (f) => /▸P1 +implement/.test(f));
    await d.press('j', (f) => /▸P2 +review/.test(f));
    await d.press('c', (f) => f.includes('Complete P2 as the lead. Reason'));
    await d.press('done elsewhere', (f) => f.includes('> done elsewhere'));
    await d.press(KEYS.enter, (f) => f.includes('complete P2 — this will:'));
    // Ten minutes later it is confirmed: what is written is what was shown, its times included.
    app!.clock.advance(10 * 60_000);
    await d.press('y', (f) => f.includes('complete: applied'));
    expect(read().completed_at).toBe(iso(NOW));
    // Reopened on P3, then its owner completes it before the lead confirms.
    await d.press('j', (f) => /▸P3 +benchmark/.test(f));
    await d.press('c', (f) => f.includes('Complete P3 as the lead. Reason'));
    await d.press('x', (f) => f.includes('> x'));
    await d.press(KEYS.enter, (f) => f.includes('complete P3 — this will:'));
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    Object.assign(taskList(m).find((t) => t.id === 'P3'), { status: 'completed', completed_by: 'tm_bench' });
    writeFileSync(manifest, JSON.stringify(m));
    const refused = await d.press('y', (f) => f.includes('refused:'));
    expect(refused).toContain('P3 is already completed');
    expect(taskList(JSON.parse(readFileSync(manifest, 'utf8'))).find((t: { id: string }) => t.id === 'P3').completed_by).toBe('tm_bench');
  });

  it('a heartbeat while the plan is open does not change the decision: the wake applies', async () => {
    await start();
    await d.press('w', (f) => f.includes('wake tm_opt — this will:'));
    // tm_opt answers something meanwhile: its "silent for" changes, what the lead agreed to does not.
    const file = join(root, 'perf', 'teammates.json');
    const tms = JSON.parse(readFileSync(file, 'utf8'));
    const list = (Array.isArray(tms) ? tms : tms.teammates) as Array<Record<string, unknown>>;
    list.find((t) => t.id === 'tm_opt')!.last_heartbeat = iso(NOW - 60_000);
    writeFileSync(file, JSON.stringify(tms));
    await d.press('y', (f) => f.includes('wake: applied'));
  });

  it('a repository that appears while the abort is open is a new plan, shown again (never applied unseen)', async () => {
    await start();
    await d.press('A', (f) => f.includes('Abort team perf. Reason'));
    await d.press('gone', (f) => f.includes('> gone'));
    const shown = await d.press(KEYS.enter, (f) => f.includes('Type the team id (perf)'));
    expect(shown).not.toContain('git (');
    // The team gets a repository while the plan is on screen.
    execFileSync('git', ['init', '-q', '-b', 'main', root]);
    await d.press('perf', (f) => f.includes('> perf'));
    const again = await d.press(KEYS.enter, (f) => f.includes('changed while the plan was open'));
    expect(again).toMatch(/git|refused/);
    expect(JSON.parse(readFileSync(join(root, 'perf', 'team.json'), 'utf8')).team_status).toBe('active');
  });

  it('A asks for a reason, then the team id must be typed before the abort applies', async () => {
    await start();
    await d.press('A', (f) => f.includes('Abort team perf. Reason'));
    await d.press('too many failures', (f) => f.includes('> too many failures'));
    await d.press(KEYS.enter, (f) => f.includes('Type the team id (perf)'));
    await d.press(KEYS.enter, (f) => f.includes('Type the team id (perf)')); // not typed yet: stays
    await d.press('perf', (f) => f.includes('> perf'));
    await d.press(KEYS.enter, (f) => f.includes('abort: applied'));
    expect(JSON.parse(readFileSync(join(root, 'perf', 'team.json'), 'utf8')).team_status).toBe('aborted');
  });

  it('under --readonly every action key says so and writes nothing', async () => {
    await start(true);
    const f = await d.press('w', (x) => x.includes('read-only: actions are disabled'));
    expect(f).not.toContain('this will:');
    expect(existsSync(join(root, 'perf', 'actions.jsonl'))).toBe(false);
  });
});
