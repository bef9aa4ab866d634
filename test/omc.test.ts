// oh-my-claudecode's `omc team` state, read from a team built by the real package's own code
// (test/fixtures/omc/build.mjs; version in meta.json): its dependency cycle, a worker whose
// heartbeat is 90 minutes old as dead, an undelivered message, a claim whose lease ran out; broken
// and hostile files named as errors; actions through a stand-in `omc` that records every call.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { OmcSource, localPidProbe, looksLikeOmcProject } from '../src/sources/omc/source.js';
import { detect } from '../src/alerts/index.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { planAction } from '../src/actions/plan.js';
import { applyPlan } from '../src/actions/apply.js';
import type { ActionArgs, ActionName } from '../src/ports/effects.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import { runCli, PROJECT } from './helpers/cli.js';
import { removeDir, tempDir } from './helpers/state.js';

const FIXTURE = join(PROJECT, 'test', 'fixtures', 'omc');
const META = JSON.parse(readFileSync(join(FIXTURE, 'meta.json'), 'utf8')) as { version: string; generated_at: string };
const BUILT = Date.parse(META.generated_at);
const TEAM_DIR = join('.omc', 'state', 'team', 'cycle-team');

let project: string;
let stateDir: string;
let source: OmcSource | null = null;
beforeEach(() => {
  project = tempDir('teamtop-omc-');
  stateDir = tempDir('teamtop-omc-state-');
  cpSync(join(FIXTURE, 'project'), project, { recursive: true });
});
afterEach(async () => {
  await source?.close();
  source = null;
  removeDir(project);
  removeDir(stateDir);
});

async function load(minutesAfter: number): Promise<TeamSnapshot> {
  source = new OmcSource(project, { now: () => BUILT + minutesAfter * 60_000, stateDir });
  await source.load();
  const team = source.getSnapshot().teams.find((t) => t.id === 'cycle-team');
  if (!team) throw new Error('no cycle-team');
  return team;
}

describe('an omc team built by the package', () => {
  it('is found under .omc/state/team with its workers, tasks (both dependency fields), mailboxes and events', async () => {
    expect(await looksLikeOmcProject(project)).toBe(true);
    const team = await load(1);
    expect(team.errors).toEqual([]);
    expect(team.source).toBe('omc');
    expect(team.teammates.map((t) => t.id)).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(team.tasks.map((t) => [t.id, t.status, t.dependsOn])).toEqual([
      ['1', 'pending', ['3']], ['2', 'pending', ['1']], ['3', 'pending', ['2']], ['4', 'in_progress', []], ['5', 'completed', []],
    ]);
    expect(team.tasks.find((t) => t.id === '4')?.owner).toBe('worker-3');
    expect(team.mailbox.recent.map((m) => [m.from, m.to, team.format.messageState(m)])).toEqual([
      ['leader-fixed', ['worker-1'], 'delivered'], ['leader-fixed', ['worker-2'], 'undelivered'], ['worker-1', ['leader-fixed'], 'delivered'],
    ]);
    expect(team.events.map((e) => e.type)).toContain('message_received');
    expect(team.events.map((e) => e.type)).toContain('task_completed');
    expect(team.info.status).toBe('active');
  });

  it('shows its dependency cycle, the worker silent for 90 minutes as dead and the undelivered message', async () => {
    const team = await load(6);
    const alerts = detect(team, BUILT + 6 * 60_000, DEFAULT_THRESHOLDS);
    const cycle = alerts.find((a) => a.kind === 'dependency-cycle');
    expect(cycle?.subject).toEqual(['1', '3', '2']);
    expect(alerts.filter((a) => a.kind === 'teammate-dead').map((a) => a.subject)).toEqual([['worker-2']]);
    const unacked = alerts.filter((a) => a.kind === 'message-unacked');
    expect(unacked.map((a) => a.subject[0])).toEqual(['worker-2']);
    expect(unacked[0]!.summary).toContain('undelivered');
    // Before the timeout (5 minutes by default) the message is not overdue.
    expect(detect(await load(1), BUILT + 60_000, DEFAULT_THRESHOLDS).some((a) => a.kind === 'message-unacked')).toBe(false);
  });

  it('an in-progress task whose claim lease ran out is stuck', async () => {
    const at = BUILT + 20 * 60_000;
    const stuck = detect(await load(20), at, DEFAULT_THRESHOLDS).filter((a) => a.kind === 'task-stuck');
    expect(stuck.map((a) => a.subject)).toEqual([['4', 'worker-3']]);
    expect(stuck[0]!.summary).toMatch(/claim ran out/);
    expect(detect(await load(5), BUILT + 5 * 60_000, DEFAULT_THRESHOLDS).some((a) => a.kind === 'task-stuck')).toBe(false);
  });

  it('operational_state dead and a heartbeat saying alive: false are dead whatever the age', async () => {
    const cfgFile = join(project, TEAM_DIR, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as { workers: Array<Record<string, unknown>> };
    cfg.workers[0]!.operational_state = 'dead';
    writeFileSync(cfgFile, JSON.stringify(cfg));
    const hbFile = join(project, TEAM_DIR, 'workers', 'worker-3', 'heartbeat.json');
    writeFileSync(hbFile, JSON.stringify({ ...JSON.parse(readFileSync(hbFile, 'utf8')), alive: false }));
    const team = await load(1);
    expect(team.teammates.map((t) => [t.id, t.liveness?.state ?? null])).toEqual([['worker-1', 'dead'], ['worker-2', null], ['worker-3', 'dead']]);
    const dead = detect(team, BUILT + 60_000, DEFAULT_THRESHOLDS).filter((a) => a.kind === 'teammate-dead').map((a) => a.subject[0]).sort();
    expect(dead).toEqual(['worker-1', 'worker-2', 'worker-3']);
  });

  it('a heartbeat pid that no longer runs on this machine is dead; one that runs is alive', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    for (const [w, pid] of [['worker-1', process.pid], ['worker-3', gone]] as const) {
      const hbFile = join(project, TEAM_DIR, 'workers', w, 'heartbeat.json');
      writeFileSync(hbFile, JSON.stringify({ ...JSON.parse(readFileSync(hbFile, 'utf8')), pid }));
    }
    source = new OmcSource(project, { now: () => BUILT + 60_000, stateDir, probe: localPidProbe });
    await source.load();
    const team = source.getSnapshot().teams[0]!;
    expect(team.teammates.map((t) => [t.id, t.liveness ?? null])).toEqual([
      ['worker-1', { state: 'alive', signal: `pid ${process.pid} running` }],
      ['worker-2', null],
      ['worker-3', { state: 'dead', signal: `pid ${gone} is not running` }],
    ]);
  });

  it('a heartbeat that is missing, not a time or in the future: the worker ages from the team\'s start (2 h: dead)', async () => {
    const hb = (w: string) => join(project, TEAM_DIR, 'workers', w, 'heartbeat.json');
    writeFileSync(hb('worker-1'), JSON.stringify({ pid: 1, last_turn_at: 'garbage', turn_count: 1, alive: true }));
    writeFileSync(hb('worker-3'), JSON.stringify({ pid: 1, last_turn_at: '2099-01-01T00:00:00.000Z', turn_count: 1, alive: true }));
    removeDir(join(project, TEAM_DIR, 'workers', 'worker-2'));
    const team = await load(1);
    expect(team.errors.map((e) => [e.file.slice(project.length), e.message.replace(/ \(.*\)/, '')])).toEqual([
      [`/${TEAM_DIR}/workers/worker-1/heartbeat.json`, 'last_turn_at "garbage" is not a time: the worker ages from the team\'s start'],
      [`/${TEAM_DIR}/workers/worker-3/heartbeat.json`, 'last_turn_at 2099-01-01T00:00:00.000Z is in the future: the worker ages from the team\'s start'],
    ]);
    expect(team.teammates.map((t) => t.activitySignal)).toEqual(['joined', 'joined', 'joined']);
    const dead = detect(team, BUILT + 60_000, DEFAULT_THRESHOLDS).filter((a) => a.kind === 'teammate-dead').map((a) => a.subject[0]);
    expect(dead).toEqual(['worker-1', 'worker-2', 'worker-3']);
  });

  it('a broken task file is an error naming it; the other tasks still show', async () => {
    writeFileSync(join(project, TEAM_DIR, 'tasks', 'task-2.json'), '{"id": "2", "subject": ');
    writeFileSync(join(project, TEAM_DIR, 'tasks', 'task-6.json'), JSON.stringify({ id: '6', subject: 'x', status: 'done' }));
    const team = await load(1);
    expect(team.tasks.map((t) => t.id)).toEqual(['1', '3', '4', '5']);
    expect(team.errors.map((e) => e.file.slice(project.length))).toEqual([`/${TEAM_DIR}/tasks/task-2.json`, `/${TEAM_DIR}/tasks/task-6.json`]);
    expect(team.errors[1]!.message).toMatch(/status/);
  });

  it('a symbolic link for a team\'s directory, or for a team, is reported and not followed', async () => {
    const outside = tempDir('teamtop-omc-outside-');
    try {
      mkdirSync(join(outside, 'tasks'));
      writeFileSync(join(outside, 'tasks', 'task-9.json'), JSON.stringify({ id: '9', subject: 'OUTSIDE', description: '', status: 'pending' }));
      removeDir(join(project, TEAM_DIR, 'tasks'));
      symlinkSync(join(outside, 'tasks'), join(project, TEAM_DIR, 'tasks'));
      symlinkSync(join(project, TEAM_DIR), join(project, '.omc', 'state', 'team', 'linked-team'));
      const team = await load(1);
      expect(team.tasks).toEqual([]);
      expect(team.errors.map((e) => [e.file.slice(project.length), e.message])).toEqual([[`/${TEAM_DIR}/tasks`, "a symbolic link: not read (a team's directories must be real directories)"]]);
      expect(source!.getSnapshot().teams.map((t) => t.id)).toEqual(['cycle-team']);
      expect(source!.getSnapshot().errors.map((e) => e.message)).toEqual(['a symbolic link to a team directory: not read (a team directory must be a real directory)']);
      expect(runCli(['check', '--source', 'omc', '--root', project], { env: { XDG_STATE_HOME: stateDir } }).status).toBe(2);
    } finally {
      removeDir(outside);
    }
  });

  it('a worker with a field of the wrong type keeps the rest; the team still shows', async () => {
    const cfgFile = join(project, TEAM_DIR, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as { workers: Array<Record<string, unknown>> };
    cfg.workers[0]!.pid = 'abc';
    writeFileSync(cfgFile, JSON.stringify(cfg));
    const team = await load(1);
    expect(team.teammates.map((t) => t.id)).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(team.errors.map((e) => e.message)).toEqual(['workers[0] (worker-1): pid of the wrong type, left out']);
  });

  it('a hostile worker name never becomes a path', async () => {
    const cfgFile = join(project, TEAM_DIR, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as { workers: Array<Record<string, unknown>> };
    cfg.workers.push({ name: '../../../etc', index: 4, role: 'x' });
    writeFileSync(cfgFile, JSON.stringify(cfg));
    const team = await load(1);
    expect(team.errors.map((e) => e.message)).toEqual(['worker name "../../../etc" is not one omc accepts: its files are not read']);
  });
});

describe('an omc team watched live', () => {
  it('follows events appended to events.jsonl (a bad line named), a heartbeat, a task, from where it read', async () => {
    source = new OmcSource(project, { now: () => BUILT + 60_000, stateDir });
    await source.load();
    await source.watch();
    const before = source.getSnapshot().teams[0]!;
    const changed = (pred: (t: TeamSnapshot) => boolean): Promise<TeamSnapshot> => new Promise((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new Error('no change')); }, 10_000);
      const off = source!.subscribe(() => {
        const t = source!.getSnapshot().teams[0]!;
        if (pred(t)) { clearTimeout(timer); off(); resolve(t); }
      });
    });
    const eventsFile = join(project, TEAM_DIR, 'events.jsonl');
    const lines = readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).length;
    appendFileSync(eventsFile, JSON.stringify({ event_id: 'e1', team: 'cycle-team', created_at: new Date(BUILT + 120_000).toISOString(), type: 'worker_idle', worker: 'worker-1' }) + '\n{not json\n');
    const t1 = await changed((t) => t.events.length > before.events.length);
    expect(t1.events.at(-1)).toMatchObject({ type: 'worker_idle', line: lines + 1 });
    expect(t1.errors.map((e) => [e.file.endsWith('events.jsonl'), e.line])).toEqual([[true, lines + 2]]);
    // Earlier events are the same objects: the file was read on from where it ended.
    expect(t1.events[0]).toBe(before.events[0]);
    const hb = join(project, TEAM_DIR, 'workers', 'worker-2', 'heartbeat.json');
    writeFileSync(hb, JSON.stringify({ pid: 1, last_turn_at: new Date(BUILT + 30_000).toISOString(), turn_count: 4, alive: true }));
    const t2 = await changed((t) => t.teammates[1]!.lastHeartbeat === BUILT + 30_000);
    expect(t2.events).toBe(t1.events);
    const task = join(project, TEAM_DIR, 'tasks', 'task-2.json');
    writeFileSync(task, JSON.stringify({ ...JSON.parse(readFileSync(task, 'utf8')), subject: 'Renamed' }));
    const t3 = await changed((t) => t.tasks[1]!.name === 'Renamed');
    expect(t3.mailbox).toBe(t2.mailbox);
  });
});

/** A stand-in `omc` (a node script) that records its arguments and answers like omc 5.5's API. */
function fakeOmc(dir: string, answers: Record<string, unknown>): { bin: string; log: string } {
  const log = join(dir, 'omc-calls.jsonl');
  const bin = join(dir, 'omc');
  writeFileSync(bin, `#!${process.execPath}
const fs = require('node:fs');
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv, cwd: process.cwd() }) + '\\n');
const op = argv[2];
const input = JSON.parse(argv[argv.indexOf('--input') + 1]);
const answers = ${JSON.stringify(answers)};
const team = require('node:path').join(process.cwd(), '.omc/state/team', input.team_name);
let data = answers[op] ?? {};
if (op === 'send-message' && !data.__fail) {
  const f = team + '/mailbox/' + input.to_worker + '.json';
  const box = fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : { worker: input.to_worker, messages: [] };
  const message = { message_id: 'm-' + box.messages.length + '-' + input.to_worker, from_worker: input.from_worker, to_worker: input.to_worker, body: input.body, created_at: new Date().toISOString() };
  box.messages.push(message);
  fs.writeFileSync(f, JSON.stringify(box));
  data = { message };
}
if (op === 'write-shutdown-request') {
  fs.mkdirSync(team + '/workers/' + input.worker, { recursive: true });
  fs.writeFileSync(team + '/workers/' + input.worker + '/shutdown-request.json', JSON.stringify({ requested_at: new Date().toISOString(), requested_by: input.requested_by }));
  data = { worker: input.worker };
}
if (op === 'update-task' && answers['update-task'] === undefined) {
  const f = team + '/tasks/task-' + input.task_id + '.json';
  const t = JSON.parse(fs.readFileSync(f, 'utf8'));
  t.blocked_by = input.blocked_by; t.depends_on = input.blocked_by; t.version++;
  fs.writeFileSync(f, JSON.stringify(t));
  data = { task: t };
}
process.stdout.write(JSON.stringify({ schema_version: '1.0', timestamp: new Date().toISOString(), command: 'omc team api ' + op, ok: !data.__fail, operation: op, ...(data.__fail ? { error: data.__fail } : { data }) }) + '\\n');
process.exit(data.__fail ? 1 : 0);
`);
  chmodSync(bin, 0o755);
  return { bin, log };
}

async function act(team: TeamSnapshot, action: ActionName, args: ActionArgs, env: NodeJS.ProcessEnv) {
  const src = new OmcSource(project, { now: () => BUILT + 6 * 60_000, stateDir });
  await src.load();
  const plan = planAction(team, action, args, { now: BUILT + 6 * 60_000, repo: null, lead: 'leader-fixed' });
  const saved = process.env.TEAMTOP_OMC;
  process.env.TEAMTOP_OMC = env.TEAMTOP_OMC;
  try {
    return { plan, result: await applyPlan(plan, src.writer(team.id)) };
  } finally {
    if (saved === undefined) delete process.env.TEAMTOP_OMC; else process.env.TEAMTOP_OMC = saved;
    await src.close();
  }
}

const calls = (log: string): Array<{ argv: string[]; cwd: string }> => readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; cwd: string });
const input = (c: { argv: string[] }): Record<string, unknown> => JSON.parse(c.argv[c.argv.indexOf('--input') + 1]!) as Record<string, unknown>;

describe('actions on an omc team', () => {
  // omc team runs in a git work tree (elsewhere omc keeps the state in $HOME/.omc).
  beforeEach(() => { execFileSync('git', ['init', '-q', project]); });

  it('a project outside git is refused: omc would write to $HOME/.omc, not this team', async () => {
    removeDir(join(project, '.git'));
    const bin = join(stateDir, 'bin');
    mkdirSync(bin, { recursive: true });
    const omc = fakeOmc(bin, {});
    const { result } = await act(await load(6), 'wake', { target: 'worker-2' }, { TEAMTOP_OMC: omc.bin });
    expect(result.refused).toBe(true);
    expect(result.error).toMatch(/is not in a git repository: omc keeps such a project's state in .*\.omc/);
    expect(existsSync(omc.log)).toBe(false);
  });

  it('wake is one send-message through `omc team api`, run in the project without a shell, and read back', async () => {
    const bin = join(stateDir, 'bin');
    mkdirSync(bin, { recursive: true });
    const omc = fakeOmc(bin, {});
    const { result } = await act(await load(6), 'wake', { target: 'worker-2' }, { TEAMTOP_OMC: omc.bin });
    expect(result.ok).toBe(true);
    const [c] = calls(omc.log);
    expect(c!.argv.slice(0, 3)).toEqual(['team', 'api', 'send-message']);
    expect(c!.argv).toContain('--json');
    expect(c!.cwd).toBe(project);
    expect(input(c!)).toMatchObject({ team_name: 'cycle-team', from_worker: 'leader-fixed', to_worker: 'worker-2' });
    expect(String(input(c!).body)).toMatch(/Status check/);
    const box = JSON.parse(readFileSync(join(project, TEAM_DIR, 'mailbox', 'worker-2.json'), 'utf8')) as { messages: unknown[] };
    expect(box.messages).toHaveLength(2);
  });

  it('break-cycle sends the task its blocked_by without the removed dependency', async () => {
    const bin = join(stateDir, 'bin');
    mkdirSync(bin, { recursive: true });
    const omc = fakeOmc(bin, {});
    const { result } = await act(await load(6), 'break-cycle', { target: '1', edge: '1:3' }, { TEAMTOP_OMC: omc.bin });
    expect(result.ok).toBe(true);
    const updates = calls(omc.log).filter((c) => c.argv[2] === 'update-task');
    expect(updates.map(input)).toEqual([{ team_name: 'cycle-team', task_id: '1', blocked_by: [] }]);
    const after = await load(6);
    expect(detect(after, BUILT + 6 * 60_000, DEFAULT_THRESHOLDS).some((a) => a.kind === 'dependency-cycle')).toBe(false);
  });

  it('an omc refusal fails the action with omc\'s reason', async () => {
    const bin = join(stateDir, 'bin');
    mkdirSync(bin, { recursive: true });
    const omc = fakeOmc(bin, { 'send-message': { __fail: { code: 'operation_failed', message: 'Failed to acquire mailbox lock for worker-2 after 5000ms' } } });
    const { result } = await act(await load(6), 'wake', { target: 'worker-2' }, { TEAMTOP_OMC: omc.bin });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/omc team api send-message: Failed to acquire mailbox lock.*operation_failed/);
  });

  it('without omc every action is refused, before anything is written, with what to install', async () => {
    const { result } = await act(await load(6), 'wake', { target: 'worker-2' }, { TEAMTOP_OMC: join(stateDir, 'no-such-omc') });
    expect(result.ok).toBe(false);
    expect(result.refused).toBe(true);
    expect(result.error).toMatch(/`omc` command is not on PATH: install oh-my-claudecode \(npm install -g oh-my-claude-sisyphus\)/);
    const box = JSON.parse(readFileSync(join(project, TEAM_DIR, 'mailbox', 'worker-2.json'), 'utf8')) as { messages: unknown[] };
    expect(box.messages).toHaveLength(1);
  });

  it('reassign of a task whose claim ran out is refused with the reason; complete is not offered', async () => {
    const team = await load(20);
    const plan = planAction(team, 'reassign', { target: '4', to: 'worker-1' }, { now: BUILT + 20 * 60_000, repo: null, lead: 'leader-fixed' });
    expect(plan.refused).toMatch(/claim on task 4 ran out: omc lets nobody release an expired claim/);
    const complete = planAction(team, 'complete', { target: '4', reason: 'x' }, { now: BUILT + 20 * 60_000, repo: null, lead: 'leader-fixed' });
    expect(complete.refused).toMatch(/claim holder/);
  });

  it('abort rolls the project back to the base ref, leaves .omc/ as it was, and asks every worker to shut down', () => {
    const git = (...a: string[]): string => execFileSync('git', ['-C', project, ...a], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
    git('symbolic-ref', 'HEAD', 'refs/heads/main');
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, 'src', 'a.txt'), 'base\n');
    git('add', 'src');
    git('commit', '-q', '-m', 'base');
    writeFileSync(join(project, 'src', 'a.txt'), 'changed by the team\n');
    writeFileSync(join(project, 'src', 'new.txt'), 'new\n');
    const configBefore = readFileSync(join(project, TEAM_DIR, 'config.json'), 'utf8');
    const bin = join(stateDir, 'bin');
    mkdirSync(bin, { recursive: true });
    const omc = fakeOmc(bin, {});
    const r = runCli(['act', 'abort', '--source', 'omc', '--root', project, '--team', 'cycle-team', '--base-ref', 'main', '--reason', 'wrong approach', '--yes'], { env: { TEAMTOP_OMC: omc.bin, XDG_STATE_HOME: stateDir } });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(readFileSync(join(project, 'src', 'a.txt'), 'utf8')).toBe('base\n');
    expect(existsSync(join(project, 'src', 'new.txt'))).toBe(false);
    expect(readFileSync(join(project, TEAM_DIR, 'config.json'), 'utf8')).toBe(configBefore);
    expect(calls(omc.log).map((c) => [c.argv[2], input(c).worker])).toEqual([
      ['write-shutdown-request', 'worker-1'], ['write-shutdown-request', 'worker-2'], ['write-shutdown-request', 'worker-3'],
    ]);
  });

  it('postmortem --source omc writes its report in teamtop\'s state directory, with omc\'s events in the timeline', () => {
    const r = runCli(['postmortem', '--source', 'omc', '--root', project, '--team', 'cycle-team'], { env: { XDG_STATE_HOME: stateDir } });
    expect(r.status, r.stderr).toBe(0);
    const dir = r.stdout.trim().split('\n').at(-1)!;
    expect(dir.startsWith(join(stateDir, 'teamtop', 'omc'))).toBe(true);
    const timeline = readFileSync(join(dir, 'timeline.md'), 'utf8');
    expect(timeline).toContain('event: task_completed');
    expect(timeline).toContain('undelivered: Status of the handlers?');
    expect(existsSync(join(project, '.omc', 'state', 'team', 'cycle-team', 'reports'))).toBe(false);
  });

  it('reading (check) creates nothing in teamtop\'s state directory', () => {
    runCli(['check', '--source', 'omc', '--root', project], { env: { XDG_STATE_HOME: stateDir } });
    expect(existsSync(join(stateDir, 'teamtop', 'omc'))).toBe(false);
  });

  it('check --source omc lists the team and its alerts; the exit code is check\'s', () => {
    const r = runCli(['check', '--source', 'omc', '--root', project]);
    expect(r.stdout).toContain('cycle-team');
    // Without --source, a project holding .omc/state/team is recognised.
    expect(runCli(['check', '--root', project]).stdout).toContain('dependency cycle: 1 → 3 → 2 → 1');
    expect(r.stdout).toContain('dependency-cycle');
    expect(r.status).toBe(1);
  });
});
