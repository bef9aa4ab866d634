// The real program in a real terminal (tmux): what a user sees and types.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './helpers/cli.js';
import { TmuxSession, hasTmux, cleanUpAfterEach } from './helpers/tmux.js';
import { tempDir, writeTeam, iso } from './helpers/state.js';
import { prepareDemo } from '../src/demo/prepare.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

let session: TmuxSession | null = null;
let root: string | null = null;
cleanUpAfterEach(afterEach, () => [root]);

const PANES = ['1 Teammates', '2 Tasks', '3 Mailbox', '4 Alerts'];
const allPanes = (s: string): boolean => PANES.every((p) => s.includes(p));

describe.each([[80, 24], [120, 40]])('the real program at %ix%i', (cols, rows) => {
  it('shows the panes, the help, an action\'s confirmation, a live change, and exits cleanly', async () => {
    root = await prepareDemo();
    session = new TmuxSession(`demo${cols}`);
    session.start([process.execPath, BIN, '--root', root, '--team', 'alpha-silent', '--no-bell'], cols, rows);
    const screen = await session.waitFor(allPanes);
    const lines = screen.replace(/\n+$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(rows);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(cols);
    expect(screen).toContain('alpha-silent');
    expect(screen).toMatch(/teammate-dead/);
    // Help.
    session.type('?');
    await session.waitFor((s) => s.includes('Help') && s.includes('jump to Mailbox'));
    session.type('?');
    await session.waitFor(allPanes);
    // An action's confirmation dialog: w on the selected teammate, then n.
    session.type('w');
    const dialog = await session.waitFor((s) => s.includes('this will:') && s.includes('wake_up'));
    expect(dialog).toContain('y / Enter apply');
    session.type('n');
    // The dialog is a box over the panes: gone means no box.
    await session.waitFor((s) => allPanes(s) && !s.includes('╭'));
    // A live file change.
    appendFileSync(join(root, 'alpha-silent', 'mailbox.jsonl'), JSON.stringify({ sequence: 19, timestamp: new Date().toISOString(), from: 'tm_api', to: 'lead', type: 'message', payload: 'back online' }) + '\n');
    await session.waitFor((s) => s.includes('back online') && s.includes('Mailbox (19)'));
    // A clean exit: status 0, the alternate screen left.
    session.type('q');
    const after = await session.waitFor((s) => /EXITED=\d+/.test(s));
    expect(after).toContain('EXITED=0');
    expect(after).not.toContain('1 Teammates');
  });

  it('runs the demo with --demo', async () => {
    session = new TmuxSession(`demo-flag${cols}`);
    session.start([process.execPath, BIN, '--demo', '--static'], cols, rows);
    await session.waitFor(allPanes);
    session.type('q');
    expect(await session.waitFor((s) => /EXITED=\d+/.test(s))).toContain('EXITED=0');
  });
});

describe('a Claude Code team', () => {
  it('shows derived liveness, no context without a transcript, and the failed teammate', async () => {
    session = new TmuxSession('claude');
    session.start([process.execPath, BIN, '--demo', '--static', '--source', 'claude', '--team', 'proxy-analysis'], 120, 40);
    const s = await session.waitFor((x) => allPanes(x) && x.includes('teammate-failed'));
    expect(s).toMatch(/cc-writer +active +\d+m –/);
    // The demo's pane ids are samples: tmux is not asked about them (never "dead" by a stranger's server).
    expect(s).toMatch(/cc-tester +idle \(failed\) +25m/);
    expect(s).not.toContain('teammate-dead');
    expect(s).toMatch(/idle_noti.*idle \(failed\); failure: API error/);
    session.type('?');
    expect(await session.waitFor((x) => x.includes('Not available for this team'))).toContain('resume: Claude Code teams have no team status');
    session.keys('Escape');
    await session.waitFor(allPanes);
    session.type('q');
    expect(await session.waitFor((x) => /EXITED=\d+/.test(x))).toContain('EXITED=0');
  });
});

describe('an action from the keyboard', () => {
  it('b on the demo\'s cycle alert shows the edges and the plan, applies on y, and the cycle alert clears', async () => {
    session = new TmuxSession('act');
    session.start([process.execPath, BIN, '--demo', '--static', '--team', 'beta-cycle'], 120, 40);
    await session.waitFor((s) => allPanes(s) && /dependency-cycle/.test(s));
    session.type('4');
    await session.waitFor((s) => /▸CRIT\s+deadlock/.test(s));
    session.type('j');
    await session.waitFor((s) => /▸CRIT\s+dependency-cycle/.test(s));
    session.type('b');
    await session.waitFor((s) => s.includes('remove which dependency?') && s.includes('(suggested'));
    session.keys('Enter');
    const plan = await session.waitFor((s) => s.includes('break-cycle') && s.includes('this will:'));
    expect(plan).toMatch(/manifest: task PERF-\d: stop waiting on PERF-\d/);
    expect(plan).toContain('team_reordered');
    session.type('y');
    const after = await session.waitFor((s) => s.includes('break-cycle: applied') && !/dependency-cycle/.test(s));
    expect(after).not.toMatch(/CRIT\s+deadlock/);
    session.type('q');
    expect(await session.waitFor((x) => /EXITED=\d+/.test(x))).toContain('EXITED=0');
  });
});

describe('a plan taller than the terminal', () => {
  it('at 80x24 the abort plan scrolls, and the typed id applies it only after every step was in view', async () => {
    // The demo gives each team a repository: the plan has its git steps.
    session = new TmuxSession('abort80');
    session.start([process.execPath, BIN, '--demo', '--team', 'beta-cycle', '--no-bell'], 80, 24);
    await session.waitFor(allPanes);
    session.type('A');
    await session.waitFor((s) => s.includes('Abort team beta-cycle. Reason'));
    session.type('too slow');
    session.keys('Enter');
    const first = await session.waitFor((s) => s.includes('abort — this will:'));
    expect(first).toMatch(/↓ \d+ more lines/);
    expect(first).not.toContain('team_status = aborted');
    session.type('beta-cycle');
    session.keys('Enter');
    // Not applied: the plan moves on and says why.
    await session.waitFor((s) => s.includes('Every step must be seen before it is applied'));
    for (let i = 0; i < 30; i++) session.keys('Down');
    const end = await session.waitFor((s) => s.includes('post-mortem follows') && !/↓ \d+ more lines/.test(s));
    expect(end).toContain('> beta-cycle');
    session.keys('Enter');
    await session.waitFor((s) => s.includes('abort: applied'));
    session.type('q');
    expect(await session.waitFor((x) => /EXITED=\d+/.test(x))).toContain('EXITED=0');
  });
});

describe('a state root written by hand', () => {
  it('follows a mailbox append and keeps the last good teammates when teammates.json breaks', async () => {
    root = tempDir();
    const now = Date.now();
    const dir = writeTeam(root, 'hand', {
      team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
      teammates: { teammates: [{ id: 'tm_writer', last_heartbeat: iso(now), context_tokens_used: 1000, context_tokens_max: 200000 }] },
      manifest: [{ task_id: 'W1', subject: 'Write the guide', owner: 'tm_writer', status: 'in_progress', deliverables: [{ text: 'draft', done: false }] }],
      mailbox: [{ sequence: 1, timestamp: iso(now), from: 'lead', to: 'tm_writer', type: 'message', payload: 'hello writer' }],
    });
    session = new TmuxSession('hand');
    session.start([process.execPath, BIN, '--root', root], 100, 30);
    await session.waitFor((s) => allPanes(s) && s.includes('hello writer') && s.includes('Write the guide'));
    appendFileSync(join(dir, 'mailbox.jsonl'), JSON.stringify({ sequence: 2, timestamp: iso(Date.now()), from: 'tm_writer', to: 'lead', type: 'message', payload: 'draft is ready' }) + '\n');
    await session.waitFor((s) => s.includes('draft is ready'));
    writeFileSync(join(dir, 'teammates.json'), '{"teammates": [\n  {"id": "tm_writer",}\n]}\n');
    const s = await session.waitFor((x) => x.includes('teammates.json:2'));
    expect(s).toContain('tm_writer');
    session.keys('C-c');
    expect(await session.waitFor((x) => /EXITED=\d+/.test(x))).toContain('EXITED=0');
  });

  it('a missing root prints one line and exits 2', async () => {
    root = tempDir();
    session = new TmuxSession('missing');
    session.start([process.execPath, BIN, join(root, 'nope')], 100, 20);
    const s = await session.waitFor((x) => /EXITED=\d+/.test(x));
    expect(s).toContain('does not exist');
    expect(s).toContain('EXITED=2');
  });
});
