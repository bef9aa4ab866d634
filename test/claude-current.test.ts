// Claude Code teams as current versions write them (demo-state/.claude, session teams): session
// teams with their project and start, context and activity from transcripts (tailed), requests
// that wait for the lead, every message type, Claude Code's file names, stray inboxes, robust
// reading, schema-valid writes, teams without task files, and ended teams kept by teamtop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareDemo } from '../src/demo/prepare.js';
import { ClaudeSource } from '../src/sources/claude/source.js';
import { planAction } from '../src/actions/plan.js';
import { applyPlan } from '../src/actions/apply.js';
import { detect } from '../src/alerts/index.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { teamtopStateDir } from '../src/files/state-dir.js';
import { describeProtocol } from '../src/sources/claude/protocol.js';
import { inboxStem, ownerName, teamDirName } from '../src/sources/claude/names.js';
import { visibleTeams } from '../src/tui/teams.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import { runCli } from './helpers/cli.js';
import { removeDir, tempDir } from './helpers/state.js';

const SESSION = 'session-1a2b3c4d';
let demo: string;
let claude: string;
let state: string;
let source: ClaudeSource | null = null;

beforeEach(async () => {
  demo = await prepareDemo();
  claude = join(demo, '.claude');
  state = tempDir('teamtop-kept-');
});
afterEach(async () => {
  await source?.close();
  source = null;
  removeDir(demo);
  removeDir(state);
});

/** The teams as a source sees them; `stateDir` as the CLI's is $XDG_STATE_HOME/teamtop. */
async function load(stateDir = state): Promise<TeamSnapshot[]> {
  await source?.close();
  source = new ClaudeSource(claude, Date.now, {}, stateDir);
  await source.load();
  return source.getSnapshot().teams;
}
const team = async (id = SESSION): Promise<TeamSnapshot> => (await load()).find((t) => t.id === id)!;
const kinds = (t: TeamSnapshot, now = Date.now()): string[] => [...new Set(detect(t, now, DEFAULT_THRESHOLDS).map((a) => a.kind))].sort();
const sessionDir = (...p: string[]): string => join(claude, 'teams', SESSION, ...p);
const subagent = (id: string): string => join(claude, 'projects', '-home-dev-billing-api', '1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d', 'subagents', `agent-${id}.jsonl`);
const env = { XDG_STATE_HOME: '' };

describe('session teams', () => {
  it('each names its project and start; quiet teams fold into a count; none at all is normal', async () => {
    const teams = await load();
    const s = teams.find((t) => t.id === SESSION)!;
    expect(s.origin).toEqual({ cwd: '/home/dev/billing-api', startedAt: s.info.createdAt });
    expect(s.origin!.startedAt).toBeGreaterThan(Date.now() - 3 * 3600_000);
    const v = visibleTeams(teams, false);
    expect(v.shown.map((t) => t.id)).toEqual(['docs-sprint', 'proxy-analysis', SESSION]);
    expect(v.folded).toBe(2);
    // A quiet team with a broken file is not quiet: it is never folded away.
    writeFileSync(join(claude, 'teams', 'session-9f8e7d6c', 'config.json'), '{"members": [');
    const broken = visibleTeams(await load(), false);
    expect(broken.shown.map((t) => t.id)).toContain('session-9f8e7d6c');
    expect(broken.folded).toBe(1);
    expect(visibleTeams(teams, true).shown).toHaveLength(5);
    // A Claude Code home with no team at all (between sessions).
    const empty = tempDir('teamtop-empty-claude-');
    try {
      mkdirSync(join(empty, 'teams'));
      const r = runCli(['check', '--claude-dir', empty]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('no team');
      // No Claude Code directory at all is a mistake to report (a mistyped --claude-dir or HOME).
      const none = runCli(['check', '--claude-dir', join(empty, 'missing')]);
      expect([none.status, none.stderr]).toEqual([2, expect.stringContaining(`${join(empty, 'missing')} does not exist`)]);
    } finally {
      removeDir(empty);
    }
  });
});

describe('transcripts', () => {
  it('give context use, tokens, the last tool and compactions; 96 % is context-exhausted', async () => {
    const t = await team();
    const by = Object.fromEntries(t.teammates.map((m) => [m.id, m]));
    expect(by['test.runner']).toMatchObject({ contextUsed: 192_140, contextMax: 200_000, transcript: { basis: 'spawn prompt', model: 'claude-sonnet-4-5' } });
    expect(by['api-writer']).toMatchObject({ contextUsed: 401_288, contextMax: 1_000_000, transcript: { model: 'claude-opus-4-7' } });
    expect(by['api-writer']!.tokensTotal).toBeGreaterThan(401_288);
    expect(by['api-writer']!.doing).toMatchObject({ tool: 'Bash', arg: 'npm run migrate -- --env staging' });
    expect(by['db-migrator']!.transcript).toMatchObject({ basis: 'session id' });
    expect(t.events.filter((e) => e.type === 'compaction').map((e) => e.data.teammate)).toEqual(['test.runner']);
    expect(kinds(t)).toEqual(expect.arrayContaining(['context-exhausted', 'context-lost-after-compaction']));
    const r = runCli(['check', '--claude-dir', claude, '--team', SESSION, '--only', 'context-exhausted'], { env: { ...env, XDG_STATE_HOME: state } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('test.runner: context 96.1% used (192140/200000 tokens)');
  });

  it('are tailed: an appended message moves the figures; the file is never read again from the top', async () => {
    await team();
    const before = source!.getSnapshot().teams.find((t) => t.id === SESSION)!.teammates.find((m) => m.id === 'api-writer')!;
    const at = new Date().toISOString();
    appendFileSync(subagent('a3c9e71'), `${JSON.stringify({
      type: 'assistant', sessionId: '1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d', agentId: 'a3c9e71', timestamp: at,
      message: { id: 'msg_new', role: 'assistant', model: 'claude-opus-4-7', content: [{ type: 'tool_use', name: 'Edit', input: { file_path: 'src/routes/refunds.ts' } }],
        usage: { input_tokens: 10, cache_creation_input_tokens: 2_000, cache_read_input_tokens: 598_000, output_tokens: 300 } },
    })}\n`);
    expect(await source!.refreshSignals()).toBe(true);
    const after = source!.getSnapshot().teams.find((t) => t.id === SESSION)!.teammates.find((m) => m.id === 'api-writer')!;
    expect(after.contextUsed).toBe(600_010);
    expect(after.tokensTotal).toBe(before.tokensTotal! + 2_310);
    expect(after.doing).toMatchObject({ tool: 'Edit', arg: 'src/routes/refunds.ts' });
    expect(after.lastHeartbeat).toBe(Date.parse(at));
    expect(await source!.refreshSignals()).toBe(false);
  });

  it('context windows come from the model, and thresholds can override them', async () => {
    const t = await team();
    const over = { ...DEFAULT_THRESHOLDS, contextWindows: { 'claude-opus-4-7': 420_000 } };
    const alerts = detect(t, Date.now(), over).filter((a) => a.subject[0] === 'api-writer' && a.kind.startsWith('context'));
    expect(alerts.map((a) => [a.kind, a.evidence.context_tokens_max])).toEqual([['context-exhausted', 420_000]]);
  });
});

describe('requests that wait for the lead', () => {
  it('a 10-minute-old permission request is awaiting-approval (high); medium while young; gone once answered', async () => {
    const t = await team();
    const a = detect(t, Date.now(), DEFAULT_THRESHOLDS).find((x) => x.kind === 'awaiting-approval')!;
    expect(a).toMatchObject({ severity: 'high', subject: ['api-writer', expect.stringMatching(/^perm-/)], evidence: { kind: 'permission', tool: 'Bash' } });
    expect(a.summary).toContain('npm run migrate -- --env staging');
    expect(a.workflow).toContain('lead\'s Claude Code session');
    const asked = Date.parse(a.evidence.at as string);
    expect(detect(t, asked + 60_000, DEFAULT_THRESHOLDS).find((x) => x.kind === 'awaiting-approval')!.severity).toBe('medium');
    // The plan request earlier in the day has its answer: no alert for it.
    expect(detect(t, Date.now(), DEFAULT_THRESHOLDS).filter((x) => x.kind === 'awaiting-approval')).toHaveLength(1);
    const inbox = JSON.parse(readFileSync(sessionDir('inboxes', 'api-writer.json'), 'utf8')) as unknown[];
    inbox.push({ from: 'team-lead', text: JSON.stringify({ type: 'permission_response', request_id: a.subject[1], subtype: 'success' }), timestamp: new Date().toISOString(), read: false });
    writeFileSync(sessionDir('inboxes', 'api-writer.json'), JSON.stringify(inbox));
    expect(kinds(await team())).not.toContain('awaiting-approval');
  });
});

describe('messages, names and stray inboxes', () => {
  it('every protocol type reads as a line; teammate-failed covers a failed task; interrupted shows', () => {
    expect(describeProtocol({ type: 'permission_request', tool_name: 'Bash', input: { command: 'rm -rf build' }, description: 'clean' })).toBe('asks permission: Bash rm -rf build — clean');
    expect(describeProtocol({ type: 'permission_response', subtype: 'error', error: 'no' })).toBe('permission denied: no');
    expect(describeProtocol({ type: 'sandbox_permission_request', hostPattern: { host: 'npmjs.org' } })).toBe('asks network access to npmjs.org');
    expect(describeProtocol({ type: 'sandbox_permission_response', allow: true, host: 'npmjs.org' })).toBe('network access allowed to npmjs.org');
    expect(describeProtocol({ type: 'plan_approval_request', planFilePath: 'p.md' })).toBe('asks approval of a plan (p.md)');
    expect(describeProtocol({ type: 'plan_approval_response', approved: false, feedback: 'smaller' })).toBe('plan rejected: smaller');
    expect(describeProtocol({ type: 'shutdown_request', reason: 'done' })).toBe('asked to shut down: done');
    expect(describeProtocol({ type: 'shutdown_approved' })).toBe('shutting down');
    expect(describeProtocol({ type: 'shutdown_rejected', reason: 'busy' })).toBe('refuses to shut down: busy');
    expect(describeProtocol({ type: 'task_assignment', taskId: '3', subject: 'docs' })).toBe('assigned task 3: docs');
    expect(describeProtocol({ type: 'idle_notification', idleReason: 'interrupted' })).toBe('idle (interrupted)');
    expect(describeProtocol({ type: 'idle_notification', idleReason: 'available', completedTaskId: '2', completedStatus: 'failed', failureReason: 'tests red' }))
      .toBe('idle (available); task 2 failed; failure: tests red');
    expect(describeProtocol({ type: 'mode_set_request', mode: 'acceptEdits' })).toBe('asks to set permission mode acceptEdits');
    expect(describeProtocol({ type: 'team_permission_update', rules: ['Bash(npm test)'] })).toBe('team permissions updated: rules=["Bash(npm test)"]');
    // A type Claude Code adds later reads as its fields, not as a bare name.
    expect(describeProtocol({ type: 'some_future_type', from: 'x', foo: 'bar', n: 3 })).toBe('some_future_type: foo=bar n=3');
  });

  it('a failed task in an idle notification is teammate-failed; an interrupted teammate shows so', async () => {
    const inbox = JSON.parse(readFileSync(sessionDir('inboxes', 'team-lead.json'), 'utf8')) as unknown[];
    const now = new Date().toISOString();
    inbox.push({ from: 'test.runner', timestamp: now, read: false, text: JSON.stringify({ type: 'idle_notification', from: 'test.runner', idleReason: 'available', completedTaskId: '7', completedStatus: 'failed', failureReason: 'contract tests fail' }) });
    writeFileSync(sessionDir('inboxes', 'team-lead.json'), JSON.stringify(inbox));
    const cfg = JSON.parse(readFileSync(sessionDir('config.json'), 'utf8'));
    cfg.members.find((m: { name: string }) => m.name === 'api-writer').isActive = false;
    writeFileSync(sessionDir('config.json'), JSON.stringify(cfg));
    inbox.push({ from: 'api-writer', timestamp: now, read: false, text: JSON.stringify({ type: 'idle_notification', from: 'api-writer', idleReason: 'interrupted' }) });
    writeFileSync(sessionDir('inboxes', 'team-lead.json'), JSON.stringify(inbox));
    const t = await team();
    const failed = detect(t, Date.now(), DEFAULT_THRESHOLDS).find((a) => a.kind === 'teammate-failed')!;
    expect(failed.summary).toBe('test.runner failed task 7: contract tests fail');
    expect(t.teammates.find((m) => m.id === 'api-writer')!.status).toBe('idle (interrupted)');
    expect(t.mailbox.recent.at(-1)!.text).toBe('idle (interrupted)');
  });

  it('member names map to Claude Code\'s inbox names both ways; a stray inbox never raises unread alerts', async () => {
    expect(inboxStem('test.runner')).toBe('test-runner');
    expect(inboxStem('Ops Lead/é')).toBe('Ops-Lead--');
    expect(teamDirName('My_Team')).toBe('my-team');
    expect(ownerName('test.runner@session-1a2b3c4d', [{ name: 'test.runner', agentId: 'test.runner@session-1a2b3c4d' }])).toBe('test.runner');
    expect(ownerName('x@y', [{ name: 'x' }])).toBe('x');
    const t = await team();
    const toRunner = t.mailbox.recent.filter((m) => m.to !== 'all' && m.to.includes('test.runner'));
    expect(toRunner.length).toBeGreaterThan(0);
    const stray = t.mailbox.recent.filter((m) => m.extra.stray === true);
    expect(stray.map((m) => m.to)).toEqual([['user']]);
    expect(t.mailbox.aggregates.unacked.has('user')).toBe(false);
    expect(detect(t, Date.now() + 3600_000, DEFAULT_THRESHOLDS).some((a) => a.kind === 'message-unacked' && a.subject.includes('user'))).toBe(false);
    // Writing: a wake for test.runner lands in test-runner.json.
    const plan = planAction(t, 'wake', { target: 'test.runner' }, { now: Date.now(), repo: null, lead: 'team-lead' });
    const r = await applyPlan(plan, source!.writer(SESSION));
    expect(r.ok, r.error).toBe(true);
    expect(readdirSync(sessionDir('inboxes')).sort()).toEqual(['api-writer.json', 'db-migrator.json', 'team-lead.json', 'test-runner.json', 'user.json']);
    expect(JSON.parse(readFileSync(sessionDir('inboxes', 'test-runner.json'), 'utf8')).at(-1)).toMatchObject({ from: 'team-lead', read: false });
  });
});

describe('reading and writing robustly', () => {
  it('an entry that is not a message is skipped and counted; the others are kept', async () => {
    const inbox = JSON.parse(readFileSync(sessionDir('inboxes', 'user.json'), 'utf8')) as unknown[];
    writeFileSync(sessionDir('inboxes', 'user.json'), JSON.stringify([42, ...inbox, { from: 7 }]));
    const t = await team();
    expect(t.mailbox.recent.filter((m) => m.extra.stray === true)).toHaveLength(inbox.length);
    expect(t.errors.find((e) => e.file.endsWith('user.json'))!.message).toMatch(/^2 entries skipped \(not a message; first: entry 0: /);
  });

  it('a half-written inbox is read again before it is reported', async () => {
    await team();
    const file = sessionDir('inboxes', 'user.json');
    const whole = readFileSync(file, 'utf8');
    writeFileSync(file, whole.slice(0, 40));
    // Claude Code finishes its (non-atomic) write a moment later.
    setTimeout(() => writeFileSync(file, whole), 30);
    await source!.refresh(SESSION);
    expect(source!.getSnapshot().teams.find((t) => t.id === SESSION)!.errors.filter((e) => e.file.endsWith('user.json'))).toEqual([]);
  });

  it('a task edit Claude Code would drop is refused and the file left as it was; a deleted team or task is never recreated', async () => {
    const tasks = join(claude, 'tasks', 'proxy-analysis');
    const file = join(tasks, '3.json');
    const t3 = JSON.parse(readFileSync(file, 'utf8'));
    delete t3.description;
    writeFileSync(file, JSON.stringify(t3));
    const before = readFileSync(file, 'utf8');
    const t = await team('proxy-analysis');
    // Read, the file is shown and reported: Claude Code's agents do not see this task.
    expect(t.tasks.map((x) => x.id)).toContain('3');
    expect(t.errors.find((e) => e.file === 'tasks/proxy-analysis/3.json')?.message)
      .toMatch(/^Claude Code ignores this task file \(description: .*\): the team's agents do not see the task$/);
    expect((await team('docs-sprint')).errors).toEqual([]);
    const plan = planAction(t, 'reassign', { target: '3', to: 'cc-writer' }, { now: Date.now(), repo: null, lead: 'team-lead' });
    const r = await applyPlan(plan, source!.writer('proxy-analysis'));
    expect(r).toMatchObject({ ok: false, refused: true });
    expect(r.error).toMatch(/task 3: description: .*Claude Code would drop the file/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // The session ends (Claude Code deletes the team directory): nothing recreates it.
    const w = source!.writer(SESSION);
    rmSync(sessionDir(), { recursive: true });
    const s = (await load()).find((x) => x.id === SESSION)!;
    const wake = await applyPlan(planAction(s, 'wake', { target: 'test.runner' }, { now: Date.now(), repo: null, lead: 'team-lead' }), w);
    expect(wake.ok).toBe(false);
    expect(wake.error).toMatch(/the team directory .* is gone/);
    expect(existsSync(sessionDir())).toBe(false);
  });
});

describe('liveness', () => {
  it('isActive: true never silences the activity checks: a teammate silent since it joined 3 h ago is dead', async () => {
    const file = sessionDir('config.json');
    const cfg = JSON.parse(readFileSync(file, 'utf8'));
    cfg.members.push({ agentId: `ghost@${SESSION}`, name: 'ghost', agentType: 'general-purpose', joinedAt: Date.now() - 3 * 3600_000, tmuxPaneId: 'in-process', cwd: '/home/dev/billing-api', backendType: 'in-process', isActive: true, subscriptions: [] });
    writeFileSync(file, JSON.stringify(cfg));
    const t = await team();
    const ghost = t.teammates.find((m) => m.id === 'ghost')!;
    expect(ghost).toMatchObject({ status: 'active', activeNow: false, activitySignal: 'joined' });
    expect(detect(t, Date.now(), DEFAULT_THRESHOLDS).find((a) => a.subject[0] === 'ghost')).toMatchObject({ kind: 'teammate-dead', severity: 'critical' });
  });
});

describe('a team directory teamtop cannot read', () => {
  it('fails a check of every team, but is a warning for a check of another team or of some kinds only', () => {
    const outside = tempDir('teamtop-outside-');
    try {
      symlinkSync(outside, join(claude, 'teams', 'session-11112222'));
      const run = (...a: string[]) => runCli(['check', '--claude-dir', claude, ...a], { env: { XDG_STATE_HOME: state } });
      expect(run().status).toBe(2);
      const mine = run('--team', SESSION, '--only', 'awaiting-approval');
      expect(mine.status).toBe(1);
      expect(mine.stderr).toMatch(/warning: .*session-11112222: a symbolic link to a team directory/);
      expect(run('--only', 'dependency-cycle').status).toBe(1);
      expect(run('--team', 'session-11112222').status).toBe(2);
    } finally {
      removeDir(outside);
    }
  });
});

describe('teams without task files', () => {
  it('say why, and the task checks say they cannot run instead of looking clean', async () => {
    const t = await team();
    expect(t.unavailable?.tasks).toMatch(/^no task files \(Claude Code 2\.1\.233\+ .*CLAUDE_CODE_ENABLE_TODO_TOOLS=1/);
    expect((await team('proxy-analysis')).unavailable).toBeUndefined();
    const r = runCli(['check', '--claude-dir', claude, '--team', SESSION, '--json'], { env: { XDG_STATE_HOME: state } });
    const j = JSON.parse(r.stdout) as { teams: Array<{ unavailable: Array<{ detector: string; kinds: string[] }> }> };
    expect(j.teams[0]!.unavailable.map((u) => u.detector)).toEqual(['dependency-cycle', 'deadlock', 'task-stuck', 'stale-result', 'ambiguous-done']);
    const text = runCli(['check', '--claude-dir', claude, '--team', SESSION], { env: { XDG_STATE_HOME: state } });
    expect(text.stdout).toMatch(/\n {2}n\/a {3}dependency-cycle, deadlock, task-stuck, team-stalled, stale-result, ambiguous-done: no task files/);
  });
});

describe('ended teams', () => {
  it('are kept: after the team directory is deleted, check lists it as ended, checks it by name, and the post-mortem works', async () => {
    const xdg = { XDG_STATE_HOME: state };
    expect(runCli(['check', '--claude-dir', claude], { env: xdg }).status).toBe(1);
    rmSync(sessionDir(), { recursive: true });
    const all = runCli(['check', '--claude-dir', claude], { env: xdg });
    expect(all.stdout).toContain(`1 ended team kept by teamtop (not checked; --team ID checks one): ${SESSION}`);
    const one = runCli(['check', '--claude-dir', claude, '--team', SESSION], { env: xdg });
    expect(one.stdout).toContain('test.runner: context 96.1% used');
    // History, as of its end: said so, and never the exit code of a check.
    expect(one.stdout).toMatch(new RegExp(`^${SESSION} \\(ended, last seen \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; alerts as of then\\): `, 'm'));
    expect(one.status).toBe(0);
    const out = join(state, 'report');
    const pm = runCli(['postmortem', '--claude-dir', claude, '--team', SESSION, '--out', out], { env: xdg });
    expect(pm.status, pm.stderr).toBe(0);
    expect(readdirSync(join(out, 'inboxes')).sort()).toEqual(['api-writer.json', 'db-migrator.json', 'team-lead.json', 'test-runner.json', 'user.json']);
    expect(readFileSync(join(out, 'timeline.md'), 'utf8')).toContain('asks permission: Bash npm run migrate');
    const t = (await load(join(state, 'teamtop'))).find((x) => x.id === SESSION)!;
    expect(t.endedAt).not.toBeNull();
    // Its alerts do not age after its end.
    const summaries = (at: number): string[] => detect(t, at, DEFAULT_THRESHOLDS).map((a) => a.summary);
    expect(summaries(Date.now() + 3600_000)).toEqual(summaries(Date.now()));
    expect(t.teammates.every((m) => m.status === 'ended')).toBe(true);
  });

  it('teamtop\'s own records live in its state directory (migrated once from teams/<team>/teamtop/)', async () => {
    const old = sessionDir('teamtop');
    mkdirSync(old);
    writeFileSync(join(old, 'actions.jsonl'), `${JSON.stringify({ time: new Date().toISOString(), action: 'wake', team: SESSION, args: {}, plan: [], result: 'ok', effects: [] })}\n`);
    const t = await team();
    const records = t.format.recordsDir(t);
    expect(records.startsWith(join(state, 'claude'))).toBe(true);
    expect(readFileSync(join(records, 'actions.jsonl'), 'utf8')).toBe(readFileSync(join(old, 'actions.jsonl'), 'utf8'));
    const r = await applyPlan(planAction(t, 'wake', { target: 'test.runner' }, { now: Date.now(), repo: null, lead: 'team-lead' }), source!.writer(SESSION));
    expect(r.ok, r.error).toBe(true);
    expect(readFileSync(join(records, 'actions.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readFileSync(join(old, 'actions.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    // The default state directory is XDG's (tests run with their own).
    expect(teamtopStateDir({ XDG_STATE_HOME: '/x/state' })).toBe('/x/state/teamtop');
    expect(teamtopStateDir({ XDG_STATE_HOME: 'relative' })).toMatch(/\/\.local\/state\/teamtop$/);
  });
});
