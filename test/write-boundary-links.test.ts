// The write boundary (docs/reliability.md rows 7 and 9a), for the files test/write-boundary.test.ts
// does not link out: team-manifest.json, teammates.json, alert-acks.json, the abort decision record,
// rollback.json, a Claude Code task file and tasks/<team>/, each replaced by a symbolic link to a file
// or directory outside its root; a Claude Code message to everyone when config.json lists nobody; and
// `.git::$DATA` among the spellings of `.git` a rollback never writes. A state file that is a link is
// never read, so an action that needs it is refused at planning: that is checked with the real program,
// and the writer is then given the effect that would write the file. Every refusal names the link, the
// target outside is byte for byte as it was, and nothing in the team's directory changed but the record
// of the refusal.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpawnSyncReturns } from 'node:child_process';
import { runCli } from './helpers/cli.js';
import { iso, removeDir, tempDir, writeTeam } from './helpers/state.js';
import { fileTree } from './helpers/tree.js';
import { git, initRepo, isolateGit, repoState } from './helpers/repo.js';
import { stampOf } from '../src/model/time.js';
import { applyPlan } from '../src/actions/apply.js';
import type { Effect, Plan, PlanAction, Writer } from '../src/ports/effects.js';
import { NativeWriter } from '../src/sources/native/writer.js';
import { ClaudeWriter } from '../src/sources/claude/writer.js';
import { assertSafePath, pathProblem } from '../src/git/safe-path.js';
import { SafeTree } from '../src/git/safe-fs.js';

isolateGit({ beforeAll, afterAll });

let root: string;
let outside: string;
let dir: string;
const now = Date.now();

beforeEach(() => {
  root = tempDir('teamtop-links-');
  outside = tempDir('teamtop-links-outside-');
  dir = writeTeam(root, 'crew', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
    teammates: [{ id: 'tm_a', status: 'active', last_heartbeat: iso(now) }, { id: 'tm_b', status: 'active', last_heartbeat: iso(now) }],
    manifest: [{ id: 'T1', assigned_to: 'tm_a', status: 'in_progress' }, { id: 'T2', assigned_to: 'tm_b', status: 'pending' }],
    mailbox: [{ sequence: 1, timestamp: iso(now - 60_000), from: 'lead', to: 'tm_a', type: 'message', payload: 'go' }],
  });
  writeFileSync(join(dir, 'alert-acks.json'), '{"acks":{}}\n');
});
afterEach(() => {
  removeDir(root);
  removeDir(outside);
});

const tree = (d: string): Record<string, string> => fileTree(d);

const without = (t: Record<string, string>, name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(t).filter(([k]) => k !== name));

/**
 * Moves `rel` (of `base`) outside, where it stays a believable file (the same JSON), and puts a link
 * to it in its place: whatever follows the link reads or writes the file outside.
 */
function linkOut(base: string, rel: string): void {
  const target = join(outside, rel.replaceAll('/', '_'));
  writeFileSync(target, readFileSync(join(base, rel)));
  rmSync(join(base, rel));
  symlinkSync(target, join(base, rel));
}

/** The refusal a guarded write gives for the link at `rel` (paths are under the base's real path). */
const linkRefusal = (rel: string): RegExp => new RegExp(`refusing to write \\S*/${rel.replace(/[.]/g, '\\.')}: it is a symbolic link`);

/** The last record of the team's actions.jsonl. */
const lastRecord = (file = join(dir, 'actions.jsonl')): { action: string; result: string; error: string } =>
  JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!);

/** Runs `act` on crew after taking the "before" pictures; checks the refusal and that nothing else changed. */
function actRefused(args: string[], why: RegExp): SpawnSyncReturns<string> {
  const beforeOut = tree(outside);
  const beforeTeam = tree(dir);
  const beforeRoot = readdirSync(root).sort();
  const r = runCli(['act', ...args, '--team', 'crew', '--root', root, '--yes']);
  expect(r.status, r.stdout + r.stderr).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`^refused: .*${why.source}`, 'm'));
  expect(r.stdout).not.toContain('applied');
  expect(tree(outside), 'the target outside the root changed').toEqual(beforeOut);
  expect(without(tree(dir), 'actions.jsonl')).toEqual(without(beforeTeam, 'actions.jsonl'));
  expect(readdirSync(root).sort(), 'something was made beside the team directory (an archive?)').toEqual(beforeRoot);
  expect(lastRecord()).toMatchObject({ action: args[0], result: 'refused', error: expect.stringMatching(why) });
  return r;
}

/** A plan of one effect, as the planners make them. */
const planOf = (action: PlanAction, team: string, effect: Effect): Plan => ({ action, team, args: {}, effects: [effect], touchesRepo: false, notes: [] });

/**
 * The writer given the plan's one effect on the linked `rel`: the write itself refuses (its own guard,
 * with no check before it), and the plan is refused by the checks before its first write, with a record.
 */
async function writerRefuses(w: Writer, plan: Plan, rel: string, watched: string): Promise<void> {
  const beforeOut = tree(outside);
  const before = tree(watched);
  await expect(w.apply(plan.effects[0]!, {})).rejects.toThrow(linkRefusal(rel));
  expect(tree(watched), 'the write left something behind (a lock, a temp file)').toEqual(before);
  const r = await applyPlan(plan, w);
  expect(r).toMatchObject({ ok: false, refused: true, results: [] });
  expect(r.error).toMatch(linkRefusal(rel));
  expect(r.recordError).toBeUndefined();
  expect(tree(outside), 'the target outside the root changed').toEqual(beforeOut);
  expect(without(tree(watched), 'actions.jsonl')).toEqual(without(before, 'actions.jsonl'));
}

describe('native state files linked out of the root', () => {
  it('team-manifest.json: complete is refused (the task cannot be read), nothing written through the link', () => {
    linkOut(dir, 'team-manifest.json');
    actRefused(['complete', 'T1', '--reason', 'x'], /no task "T1" in team crew/);
  });

  it('teammates.json: reassign is refused (the new owner cannot be read), nothing written through the link', () => {
    linkOut(dir, 'teammates.json');
    actRefused(['reassign', 'T1', '--to', 'tm_b'], /no teammate "tm_b" in team crew/);
  });

  const WRITES: Array<{ file: string; action: PlanAction; effect: Effect }> = [
    { file: 'team-manifest.json', action: 'complete', effect: { kind: 'update-task', taskId: 'T1', set: { status: 'completed', completion_percent: 100 } } },
    { file: 'teammates.json', action: 'reassign', effect: { kind: 'set-teammate-status', teammateId: 'tm_a', status: 'reassigned' } },
    { file: 'alert-acks.json', action: 'ack-alert', effect: { kind: 'ack-alert', alertId: 'teammate-dead:tm_a', fingerprint: 'f1', summary: 'tm_a dead' } },
  ];
  for (const c of WRITES) {
    it(`${c.file}: the writer refuses ${c.effect.kind} with the link named, and records the refusal`, async () => {
      linkOut(dir, c.file);
      await writerRefuses(new NativeWriter(dir, { lead: 'lead', stateRoot: root }), planOf(c.action, 'crew', c.effect), `crew/${c.file}`, dir);
      expect(lastRecord()).toMatchObject({ action: c.action, result: 'refused', error: expect.stringMatching(linkRefusal(`crew/${c.file}`)) });
    });
  }

  it('the abort decision record (abort-<stamp>.json) planted as a link: an abort without a repository is refused', () => {
    // Its name is the time: a link for each of the next 20 seconds' stamps.
    writeFileSync(join(outside, 'decision.json'), '{"mine":true}\n');
    for (let i = 0; i < 20; i++) symlinkSync(join(outside, 'decision.json'), join(dir, `abort-${stampOf(Date.now() + i * 1000)}.json`));
    const r = actRefused(['abort', '--reason', 'x'], /refusing to write \S*\/crew\/abort-\d{8}T\d{6}Z\.json: it is a symbolic link/);
    expect(r.stderr).toMatch(/note: the team has no git repository/);
    expect(JSON.parse(readFileSync(join(dir, 'team.json'), 'utf8')).team_status).toBe('active');
  });

  describe('with a git repository', () => {
    let repo: string;
    beforeEach(() => {
      repo = realpathSync(tempDir('teamtop-links-repo-'));
      initRepo(repo);
      git(repo, 'checkout', '-q', '-b', 'team-work');
      writeFileSync(join(repo, 'app.js'), 'console.log(2);\n');
      git(repo, 'commit', '-q', '-am', 'team work');
      writeFileSync(join(repo, 'untracked.txt'), 'not committed\n');
      writeFileSync(join(dir, 'team.json'), JSON.stringify({ team_status: 'active', lead: { id: 'lead' }, repo, base_ref: 'main' }));
    });
    afterEach(() => removeDir(repo));

    it('rollback.json (the journal) linked out: the abort is refused before its backup, tag or reset', () => {
      writeFileSync(join(outside, 'journal.json'), '{"op":"abort","state":"done"}\n');
      symlinkSync(join(outside, 'journal.json'), join(dir, 'rollback.json'));
      const before = repoState(repo);
      const r = actRefused(['abort', '--reason', 'x'], linkRefusal('crew/rollback.json'));
      expect(r.stderr).toMatch(/git \(.*\): reset --hard to main/); // the plan did roll back: the journal was needed
      expect(repoState(repo), 'the repository changed').toEqual(before);
      expect(git(repo, 'tag', '--list')).toBe('');
    });
  });
});

describe('Claude Code files', () => {
  let claude: string;
  let state: string;
  const config = (members: Array<{ name: string }>): void => writeFileSync(join(claude, 'teams', 'alpha', 'config.json'),
    JSON.stringify({ name: 'alpha', leadAgentId: 'team-lead@alpha', members: members.map((m) => ({ ...m, agentId: `${m.name}@alpha` })) }));
  const taskJson = (id: string, owner: string, other: string): string =>
    JSON.stringify({ id, subject: `task ${id}`, description: 'd', status: 'in_progress', owner, blocks: [other], blockedBy: [] });
  const act = (...args: string[]): SpawnSyncReturns<string> =>
    runCli(['act', ...args, '--team', 'alpha', '--claude-dir', claude, '--yes'], { env: { XDG_STATE_HOME: state } });

  beforeEach(() => {
    claude = join(root, '.claude');
    state = join(root, 'state');
    mkdirSync(join(claude, 'teams', 'alpha', 'inboxes'), { recursive: true });
    mkdirSync(join(claude, 'tasks', 'alpha'), { recursive: true });
    mkdirSync(state);
    config([{ name: 'team-lead' }, { name: 'cc-writer' }, { name: 'cc-b' }]);
    writeFileSync(join(claude, 'tasks', 'alpha', '1.json'), taskJson('1', 'cc-writer', '2'));
    writeFileSync(join(claude, 'tasks', 'alpha', '2.json'), taskJson('2', 'cc-b', '1'));
  });

  it('a task file linked out: complete is refused (the task is not read), and the writer refuses the edit', async () => {
    linkOut(claude, 'tasks/alpha/1.json');
    const beforeOut = tree(outside);
    const beforeClaude = tree(claude);
    const r = act('complete', '1', '--reason', 'x');
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^refused: no task "1" in team alpha/m);
    expect(tree(outside)).toEqual(beforeOut);
    expect(tree(claude)).toEqual(beforeClaude);
    const records = join(state, 'records');
    const w = new ClaudeWriter(claude, 'alpha', { lead: 'team-lead', members: ['team-lead', 'cc-writer', 'cc-b'], records: { base: state, dir: records } });
    const effect: Effect = { kind: 'update-task', taskId: '1', set: { status: 'completed' } };
    await writerRefuses(w, planOf('complete', 'alpha', effect), 'tasks/alpha/1.json', claude);
    expect(lastRecord(join(records, 'actions.jsonl'))).toMatchObject({ result: 'refused', error: expect.stringMatching(linkRefusal('tasks/alpha/1.json')) });
  });

  it('tasks/<team>/ linked to a directory outside: not read (check says so), complete is refused, and the writer refuses the edit', async () => {
    mkdirSync(join(outside, 'tasks'));
    for (const f of ['1.json', '2.json']) writeFileSync(join(outside, 'tasks', f), readFileSync(join(claude, 'tasks', 'alpha', f)));
    rmSync(join(claude, 'tasks', 'alpha'), { recursive: true });
    symlinkSync(join(outside, 'tasks'), join(claude, 'tasks', 'alpha'));
    const beforeOut = tree(outside);
    const beforeClaude = tree(claude);
    const check = runCli(['check', '--claude-dir', claude, '--team', 'alpha', '--format', 'json'], { env: { XDG_STATE_HOME: state } });
    expect(check.stdout).toMatch(/tasks\/alpha: is a symbolic link: not read/);
    expect(check.stdout).not.toContain('dependency-cycle'); // the two task files outside wait on each other
    const r = act('complete', '1', '--reason', 'x');
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^refused: no task "1" in team alpha/m);
    const records = join(state, 'records');
    const w = new ClaudeWriter(claude, 'alpha', { lead: 'team-lead', members: ['team-lead', 'cc-writer', 'cc-b'], records: { base: state, dir: records } });
    await writerRefuses(w, planOf('complete', 'alpha', { kind: 'update-task', taskId: '1', set: { status: 'completed' } }), 'tasks/alpha', claude);
    expect(tree(outside), 'the task files outside changed').toEqual(beforeOut);
    expect(tree(claude)).toEqual(beforeClaude);
  });

  for (const [name, members] of [['lists no members', []], ['lists only the lead', [{ name: 'team-lead' }]]] as const) {
    it(`halt (a message to everyone) when config.json ${name}: refused, nothing written`, () => {
      config([...members]);
      const before = tree(claude);
      const r = act('halt', '--reason', 'x');
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^refused: no teammate to send to: config\.json lists none/m);
      expect(r.stdout + r.stderr).not.toMatch(/^applied/m);
      expect(tree(claude), 'the Claude Code directory changed').toEqual(before);
      const log = Object.keys(tree(state)).find((k) => k.endsWith('records/actions.jsonl'));
      expect(lastRecord(join(state, log!))).toMatchObject({ action: 'halt', result: 'refused', error: expect.stringMatching(/no teammate to send to/) });
    });
  }
});

describe('git path spellings: an NTFS stream of .git', () => {
  const REFUSED = ['.git::$DATA', '.GIT::$DATA', 'sub/.git::$DATA', '.git::$DATA/hooks/post-checkout', 'GIT~1::$DATA/config', '.git. ::$DATA', '.git:x'];

  it('.git::$DATA in any case, at any depth, is refused; names that only look like it pass', () => {
    for (const p of REFUSED) {
      expect(pathProblem(p), p).toMatch(/it has a component ".*" that is \.git on some file systems/);
      expect(() => assertSafePath('the tree of base_ref', p), p).toThrow(/^the tree of base_ref has an unsafe path ".*" \(it has a component .* that is \.git on some file systems\): refusing it/);
    }
    for (const p of ['.gitx::$DATA', 'a.git::$DATA', '.github::$DATA', 'git~10::$DATA', 'notes::$DATA', 'x/.git-keep:s']) expect(pathProblem(p), p).toBeNull();
  });

  it('the work-tree writer creates nothing named .git::$DATA', () => {
    const top = tempDir('teamtop-links-tree-');
    const t = new SafeTree(top);
    try {
      for (const p of REFUSED) {
        expect(() => t.openNew(p, 0o644), p).toThrow(/^stopped before writing .*: it has a component .* that is \.git on some file systems/);
        expect(() => t.mkdir(p), p).toThrow(/^stopped before writing/);
      }
      expect(readdirSync(top)).toEqual([]);
    } finally {
      t.close();
      removeDir(top);
    }
  });
});
