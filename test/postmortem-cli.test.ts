// `teamtop postmortem` and `teamtop lessons add`, run as built programs on temporary teams.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';
import { git, initRepo } from './helpers/repo.js';
import { prepareDemo } from '../src/demo/prepare.js';
import { formatLesson } from '../src/report/lessons.js';

const S = 1000;
let repo: string;
let root: string;
let out: string;
const now = Date.now();
const t0 = now - 30 * 60 * S;
const t1 = t0 + 60 * S;
const t2 = t0 + 120 * S;

beforeEach(() => {
  repo = tempDir('teamtop-pm-repo-');
  initRepo(repo);
  writeFileSync(join(repo, '.gitignore'), 'ignored.log\n.team-state/\nreports/\n');
  git(repo, 'add', '.gitignore');
  git(repo, 'commit', '-q', '-m', 'ignore the state root');
  git(repo, 'checkout', '-q', '-b', 'team-work');
  writeFileSync(join(repo, 'feature.js'), 'export const feature = 1;\n');
  git(repo, 'add', 'feature.js');
  git(repo, 'commit', '-q', '-m', 'feature work on the branch');
  root = join(repo, '.team-state');
  const dir = writeTeam(root, 'crew', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) }, base_ref: 'main' },
    teammates: [
      { id: 'tm_x', name: 'X', status: 'active', last_heartbeat: iso(now - 60 * S) },
      { id: 'tm_y', name: 'Y', status: 'active', last_heartbeat: iso(now - 60 * S) },
    ],
    manifest: [{ id: 'T1', assigned_to: 'tm_x', status: 'in_progress', updated_at: iso(now - 60 * S), deliverables: [{ text: 'code', done: false }] }],
    mailbox: [
      { sequence: 1, timestamp: iso(t0), from: 'lead', to: 'tm_x', payload: 'Define the SLA field', ack_required: true },
      { sequence: 2, timestamp: iso(t0 + 10 * S), from: 'lead', to: 'tm_x', payload: '[RESEND] Define the SLA field', ack_required: true },
      { sequence: 3, timestamp: iso(t0 + 20 * S), from: 'lead', to: 'tm_x', payload: '[URGENT] answer #1', ack_required: true },
      { sequence: 4, timestamp: iso(t2), from: 'tm_x', to: 'lead', type: 'ack', ack_sequence: [1, 2, 3], payload: 'sorry, on it' },
      { sequence: 5, timestamp: iso(t2 + 30 * S), from: 'tm_y', to: 'lead', payload: 'evil | payload \u001b[31mred\u001b[0m done' },
    ],
    events: [
      { timestamp: iso(t0 + 5 * S), type: 'hook_violation', pattern: 'H_STUB', file: 'src/A.java', line: 7, teammate: 'tm_x', violation_id: 'V1', commit: 'abc1234def' },
      { timestamp: iso(t0 + 90 * S), type: 'hook_fixed', violation_id: 'V1', teammate: 'tm_x' },
    ],
  });
  writeFileSync(join(dir, 'actions.jsonl'), [
    JSON.stringify({ time: iso(t1), action: 'wake', team: 'crew', args: { target: 'tm_x' }, plan: [{ kind: 'append-message', message: { to: 'tm_x', type: 'wake_up', priority: 'urgent', payload: 'status?' } }], result: 'ok', effects: [{ effect: 'append-message', detail: { sequence: 99 } }] }),
    '{"half a line',
  ].join('\n') + '\n');
  out = tempDir('teamtop-pm-out-');
});

afterEach(() => {
  removeDir(repo);
  removeDir(out);
});

const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

describe('teamtop postmortem', () => {
  it('writes every file of the report, with the replayed alerts, actions and time to recover', () => {
    const dir = join(out, 'report');
    const r = runCli(['postmortem', '--team', 'crew', '--root', root, '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${dir}\n`);
    for (const f of ['mailbox.jsonl', 'teammates.json', 'team-manifest.json', 'events.jsonl', 'actions.jsonl', 'team.json', 'git-log.txt', 'timeline.md', 'summary.json', 'postmortem.md']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(read(dir, 'mailbox.jsonl')).toBe(read(root, 'crew', 'mailbox.jsonl'));
    const log = read(dir, 'git-log.txt');
    expect(log).toContain('feature work on the branch');
    expect(log).not.toContain('ignore the state root');

    const summary = JSON.parse(read(dir, 'summary.json'));
    expect(summary).toMatchObject({ team: 'crew', status: 'active', source: 'native' });
    expect(summary.alerts_by_kind).toEqual({ 'hook-violation': 1, 'message-unacked': 1 });
    expect(summary.alerts_by_severity).toEqual({ critical: 1, high: 1, medium: 0, low: 0 });
    expect(summary.duration_minutes).toBe(2.5);
    expect(summary.actions_taken).toEqual([{ time: iso(t1), action: 'wake', args: { target: 'tm_x' }, result: 'ok' }]);
    const unacked = summary.time_to_recover.find((x: { kind: string }) => x.kind === 'message-unacked');
    expect(unacked).toMatchObject({
      alert: 'message-unacked:tm_x', severity: 'high', began: iso(t0 + 30 * S), cleared: iso(t2), minutes: 1.5,
      addressed_by: { action: 'wake', time: iso(t1), args: { target: 'tm_x' } },
    });
    const hook = summary.time_to_recover.find((x: { kind: string }) => x.kind === 'hook-violation');
    expect(hook).toMatchObject({ began: iso(t0 + 5 * S), cleared: iso(t0 + 90 * S), addressed_by: { action: 'wake' } });
    expect(summary.notes.join(' ')).toContain('actions.jsonl: 1 line(s) could not be read');

    // timeline.md: rows in time order, alert rows marked.
    const rows = read(dir, 'timeline.md').split('\n').filter((l) => /^\| \d{4}-/.test(l));
    expect(rows).toHaveLength(12);
    const times = rows.map((l) => l.split(' | ')[0]!.slice(2));
    expect([...times].sort()).toEqual(times);
    const order = rows.map((l) => l.split(' | ')[1]);
    expect(order).toEqual([
      'message', 'event: hook_violation', '⚠ **ALERT BEGAN** hook-violation', 'message', 'message',
      '⚠ **ALERT BEGAN** message-unacked', 'action: wake', 'event: hook_fixed', '✓ **ALERT CLEARED** hook-violation',
      'message: ack', '✓ **ALERT CLEARED** message-unacked', 'message',
    ]);
    expect(rows[11]).toContain('evil \\| payload red done');
    expect(read(dir, 'timeline.md')).not.toContain('\u001b');

    // postmortem.md: the five whys pre-filled with the most severe alert; prevention per kind.
    const pm = read(dir, 'postmortem.md');
    expect(pm).not.toContain('\u001b');
    expect(pm).toContain(`- Answer (from the evidence): ${hook.summary} — CRIT \`hook-violation\``);
    expect(hook.summary).toBe('H_STUB at src/A.java:7 by tm_x (commit abc1234)');
    expect(pm).toMatch(/- Evidence:\n {2}- pattern: H_STUB\n {2}- file: src\/A\.java/);
    for (let i = 2; i <= 5; i++) expect(pm).toContain(`**Why #${i}:`);
    expect(pm).toContain('**Why #2: Why did hook-violation happen?**');
    expect(pm).toContain('**Root cause:**');
    const prevention = pm.slice(pm.indexOf('## Prevention recommendations'), pm.indexOf('## Evidence gathered'));
    expect(prevention).toContain('### hook-violation (Tooling)');
    expect(prevention).toContain('### message-unacked (Communication)');
    expect(prevention).toContain('run the same validation hooks locally before every commit');
    expect(pm).toContain('## What we did');
    expect(pm).toMatch(/\| \d{4}-\d\d-\d\d [\d:]+Z \| wake \| tm_x \| ok \| {2}\|/);
    expect(pm).toContain('| message-unacked: 3 consecutive messages to tm_x unacknowledged (seq 1, 2, 3) | high |');
  });

  it('defaults to reports/postmortem-<YYYYMMDD>-<team> under the state root, never the current directory, never over another', () => {
    const r = runCli(['postmortem', '--team', 'crew', '--root', root], { cwd: out });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual([]);
    const [name, ...more] = readdirSync(join(root, 'reports'));
    expect(more).toEqual([]);
    expect(name).toMatch(/^postmortem-\d{8}-crew$/);
    expect(r.stdout.trim()).toBe(join(root, 'reports', name!));
    expect(statSync(join(root, 'reports', name!, 'postmortem.md')).isFile()).toBe(true);
    // The same day again: a new directory beside it.
    const again = runCli(['postmortem', '--team', 'crew', '--root', root], { cwd: out });
    expect(again.stdout.trim()).toBe(join(root, 'reports', `${name}-2`));
    // The reports directory is not taken for a team.
    expect(runCli(['check', '--root', root]).stdout).not.toMatch(/^reports/m);
  });

  it('usage errors and an unreadable root exit 2', () => {
    writeTeam(root, 'other', { teammates: [{ id: 'a' }] });
    const noTeam = runCli(['postmortem', '--root', root, '--out', out]);
    expect(noTeam.status).toBe(2);
    expect(noTeam.stderr).toContain('--team is required');
    expect(runCli(['postmortem', '--team', 'nope', '--root', root, '--out', out]).status).toBe(2);
    expect(runCli(['postmortem', '--team', 'crew', '--root', join(out, 'missing'), '--out', out]).status).toBe(2);
    expect(runCli(['postmortem', '--bogus']).status).toBe(2);
    const help = runCli(['postmortem', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: teamtop postmortem --team ID');
    // An --out that is not empty is refused with 1, as the help says.
    mkdirSync(join(out, 'full'), { recursive: true });
    writeFileSync(join(out, 'full', 'x'), '');
    const full = runCli(['postmortem', '--team', 'crew', '--root', root, '--out', join(out, 'full')]);
    expect([full.status, full.stderr]).toEqual([1, expect.stringContaining('not empty')]);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('1 when it is not (the --out directory is not empty');
  });

  it('works on a Claude Code team', async () => {
    const demo = await prepareDemo();
    try {
      const claude = join(demo, '.claude');
      mkdirSync(join(claude, 'teams', 'proxy-analysis', 'teamtop'), { recursive: true });
      writeFileSync(join(claude, 'teams', 'proxy-analysis', 'teamtop', 'actions.jsonl'),
        JSON.stringify({ time: iso(now - 60 * S), action: 'wake', team: 'proxy-analysis', args: { target: 'cc-reviewer' }, plan: [], result: 'ok', effects: [] }) + '\n');
      const dir = join(out, 'claude-report');
      const r = runCli(['postmortem', '--team', 'proxy-analysis', '--source', 'claude', '--claude-dir', claude, '--out', dir]);
      expect(r.status, r.stderr).toBe(0);
      for (const f of ['config.json', 'inboxes/team-lead.json', 'tasks/1.json', 'actions.jsonl', 'timeline.md', 'summary.json', 'postmortem.md']) {
        expect(existsSync(join(dir, f)), f).toBe(true);
      }
      expect(existsSync(join(dir, 'git-log.txt'))).toBe(false);
      const summary = JSON.parse(read(dir, 'summary.json'));
      expect(summary).toMatchObject({ team: 'proxy-analysis', source: 'claude' });
      expect(summary.alerts_by_kind['dependency-cycle']).toBe(1);
      expect(summary.alerts_by_kind['teammate-failed']).toBe(1);
      expect(summary.actions_taken).toEqual([{ time: iso(now - 60 * S), action: 'wake', args: { target: 'cc-reviewer' }, result: 'ok' }]);
      const pm = read(dir, 'postmortem.md');
      expect(pm).toContain('### teammate-failed (Tooling)');
      expect(pm).toContain('### dependency-cycle (Process)');
      expect(pm).toContain('**Why #1: Why did the team get into trouble?**');
      expect(read(dir, 'timeline.md')).toMatch(/\| message: idle_notification \| cc-tester \| #\d+ to team-lead; unread: idle \(failed\); failure: API error: 529/);
    } finally {
      removeDir(demo);
    }
  });
});

describe('teamtop postmortem after an action', () => {
  it('replays the state the action found: the cycle break-cycle removed began, and cleared by it', async () => {
    const demo = await prepareDemo();
    try {
      const b = runCli(['act', 'break-cycle', '--team', 'beta-cycle', '--root', demo]);
      expect(b.status, b.stderr).toBe(0);
      const dir = join(out, 'after-b');
      const r = runCli(['postmortem', '--team', 'beta-cycle', '--root', demo, '--out', dir]);
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(read(dir, 'summary.json'));
      expect(summary.alerts_by_kind['dependency-cycle']).toBe(1);
      const pm = read(dir, 'postmortem.md');
      expect(pm).toContain('### dependency-cycle');
      const timeline = read(dir, 'timeline.md');
      expect(timeline).toMatch(/ALERT BEGAN\*\* dependency-cycle/);
      expect(timeline).toMatch(/ALERT CLEARED\*\* dependency-cycle \| system \| cleared after [^|]*by break-cycle/);
      // Now the cycle is gone: the live check has none.
      expect(runCli(['check', '--team', 'beta-cycle', '--root', demo, '--only', 'dependency-cycle']).status).toBe(0);
    } finally {
      removeDir(demo);
    }
  });
});

describe('finding the team', () => {
  it('an unknown --team lists the teams; a team directory as the root names its parent; an archive gets a post-mortem', async () => {
    const demo = await prepareDemo();
    try {
      const unknown = runCli(['check', '--root', demo, '--team', 'nosuch']);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toBe(`teamtop: no team "nosuch" under ${demo} (teams: alpha-silent, beta-cycle, delta-consolidation, gamma-healthy; archives: beta-cycle.ABORTED-20260227T1630Z)\n`);
      const inside = runCli(['check', '--root', join(demo, 'beta-cycle')]);
      expect(inside.status).toBe(2);
      expect(inside.stderr).toContain(`is a team directory, not a state root: give its parent (--root ${demo} --team beta-cycle)`);
      const dir = join(out, 'archive');
      const r = runCli(['postmortem', '--root', demo, '--team', 'beta-cycle.ABORTED-20260227T1630Z', '--out', dir]);
      expect(r.status, r.stderr).toBe(0);
      const pm = read(dir, 'postmortem.md');
      expect(pm).toContain('status: aborted');
      // Judged as of the abort: nothing has aged for months since.
      expect(pm).not.toMatch(/\d{3}d\d\dh/);
    } finally {
      removeDir(demo);
    }
  });
});

describe('teamtop lessons add', () => {
  const args = (extra: string[] = []): string[] => [
    'lessons', 'add', '--team', 'crew', '--root', root, '--type', 'message-unacked',
    '--what', 'tm_x ignored three messages', '--learned', 'resend once, then wake', '--next', 'wake after one resend', ...extra,
  ];

  it('creates tasks/lessons.md in the team\'s repository and appends later entries', () => {
    const r = runCli(args(['--date', '2026-02-28']));
    expect(r.status, r.stderr).toBe(0);
    const file = join(repo, 'tasks', 'lessons.md');
    expect(r.stdout).toBe(`${file}\n`);
    const first = { date: '2026-02-28', team: 'crew', type: 'message-unacked', what: 'tm_x ignored three messages', learned: 'resend once, then wake', next: 'wake after one resend' };
    expect(read(file)).toBe(`# Lessons\n${formatLesson(first)}`);
    const second = runCli(['lessons', 'add', '--team', 'crew', '--root', root, '--type', 'message-unacked', '--what', 'it happened again',
      '--learned', 'resend once, then wake', '--next', 'wake after one resend', '--date', '2026-03-01']);
    expect(second.status, second.stderr).toBe(0);
    expect(read(file)).toBe(`# Lessons\n${formatLesson(first)}${formatLesson({ ...first, date: '2026-03-01', what: 'it happened again' })}`);
  });

  it('refuses with exit 1 when the team has no repository', () => {
    const bare = tempDir('teamtop-pm-bare-');
    try {
      writeTeam(bare, 'crew', { teammates: [{ id: 'tm_x' }] });
      const r = runCli(['lessons', 'add', '--team', 'crew', '--root', bare, '--type', 't', '--what', 'w', '--learned', 'l', '--next', 'n']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('team crew has no git repository');
      expect(existsSync(join(bare, 'tasks'))).toBe(false);
    } finally {
      removeDir(bare);
    }
  });

  it('usage errors exit 2', () => {
    expect(runCli(['lessons', '--root', root]).status).toBe(2);
    expect(runCli(['lessons', 'remove', '--root', root]).status).toBe(2);
    const missing = runCli(['lessons', 'add', '--team', 'crew', '--root', root, '--type', 't', '--what', 'w', '--learned', 'l']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--next is required');
    expect(runCli(args(['--date', '2026-02-30'])).status).toBe(2);
    expect(existsSync(join(repo, 'tasks'))).toBe(false);
    expect(runCli(['lessons', '--help']).stdout).toContain('usage: teamtop lessons add');
  });
});
