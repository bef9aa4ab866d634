// Opt-in (`npm run test:omc`): teamtop against the real oh-my-claudecode package, fetched once
// into a cache directory by scripts/omc-package.mjs (never a dependency). A team built by the
// package's own code is read by teamtop; wake and break-cycle go through the real `omc team api`
// and are read back by the package's own readers; 30 messages sent by the package while teamtop
// sends 8 wake-ups leave exactly 38 new messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// @ts-expect-error: plain ESM without types (test fixture builder)
import { buildTeam, omcModules } from '../test/fixtures/omc/build.mjs';
// @ts-expect-error: plain ESM without types
import { omcPackage } from '../scripts/omc-package.mjs';
import { OmcSource } from '../src/sources/omc/source.js';
import { detect } from '../src/alerts/index.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { runCli } from '../test/helpers/cli.js';

interface Ops {
  teamListMailbox(team: string, worker: string, cwd: string): Promise<Array<{ message_id: string; from_worker: string; body: string }>>;
  teamReadTask(team: string, id: string, cwd: string): Promise<{ blocked_by?: string[]; depends_on?: string[] }>;
  teamListTasks(team: string, cwd: string): Promise<unknown[]>;
}

const { pkg, bin } = omcPackage() as { pkg: string; bin: string };
let ops: Ops;
let project: string;
let state: string;
const team = 'cycle-team';
const env = (): NodeJS.ProcessEnv => ({ TEAMTOP_OMC: join(bin, 'omc'), XDG_STATE_HOME: state });

beforeAll(async () => {
  ops = ((await omcModules()) as { ops: Ops }).ops;
  project = mkdtempSync(join(tmpdir(), 'teamtop-omc-real-'));
  state = mkdtempSync(join(tmpdir(), 'teamtop-omc-real-state-'));
  execFileSync('git', ['init', '-q', project]);
  await buildTeam(project);
});
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

const act = (...args: string[]) => runCli(['act', ...args, '--source', 'omc', '--root', project, '--team', team, '--yes', '--json'], { env: env() });

describe('teamtop on a team built by the real package', () => {
  it('shows its dependency cycle, the worker silent for 90 minutes as dead and an undelivered message', async () => {
    const source = new OmcSource(project, { stateDir: state });
    await source.load();
    const t = source.getSnapshot().teams[0]!;
    const later = Date.now() + 6 * 60_000;
    const alerts = detect(t, later, DEFAULT_THRESHOLDS);
    expect(alerts.find((a) => a.kind === 'dependency-cycle')?.subject).toEqual(['1', '3', '2']);
    expect(alerts.filter((a) => a.kind === 'teammate-dead').map((a) => a.subject[0])).toEqual(['worker-2']);
    expect(alerts.filter((a) => a.kind === 'message-unacked').map((a) => a.subject[0])).toEqual(['worker-2']);
    await source.close();
  });

  it('a wake-up through teamtop is read back by the package\'s own mailbox reader', async () => {
    const before = await ops.teamListMailbox(team, 'worker-2', project);
    const r = act('wake', 'worker-2');
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const after = await ops.teamListMailbox(team, 'worker-2', project);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ from_worker: 'leader-fixed' });
    expect(after.at(-1)!.body).toMatch(/Status check/);
  });

  it('break-cycle through teamtop is read back by the package\'s own task reader, and its list still reads', async () => {
    const r = act('break-cycle', '1', '--edge', '1:3');
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const t1 = await ops.teamReadTask(team, '1', project);
    expect(t1.blocked_by ?? []).not.toContain('3');
    expect(t1.depends_on ?? []).not.toContain('3');
    expect(await ops.teamListTasks(team, project)).toHaveLength(5);
    const check = runCli(['check', '--source', 'omc', '--root', project, '--only', 'dependency-cycle'], { env: env() });
    expect(check.status).toBe(0);
  });

  it('30 messages sent by the package while teamtop sends 8 wake-ups leave exactly 38 new messages', async () => {
    const before = (await ops.teamListMailbox(team, 'worker-1', project)).length;
    const sender = join(state, 'sender.mjs');
    writeFileSync(sender, `const ops = await import(${JSON.stringify(pathToFileURL(join(pkg, 'dist', 'team', 'team-ops.js')).href)});
for (let i = 0; i < 30; i++) await ops.teamSendMessage(${JSON.stringify(team)}, 'worker-3', 'worker-1', 'from the package ' + i, ${JSON.stringify(project)});
`);
    const child = spawn(process.execPath, [sender], { stdio: 'inherit' });
    const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const wakes = await Promise.all(Array.from({ length: 8 }, () => new Promise<number | null>((resolve) => {
      const p = spawn(process.execPath, [join(process.cwd(), 'bin', 'teamtop.js'), 'act', 'wake', 'worker-1', '--source', 'omc', '--root', project, '--team', team, '--yes'], { env: { ...process.env, ...env() }, stdio: 'ignore' });
      p.on('exit', resolve);
    })));
    expect(await done).toBe(0);
    expect(wakes).toEqual(Array(8).fill(0));
    const after = await ops.teamListMailbox(team, 'worker-1', project);
    expect(after.length - before).toBe(38);
    const fresh = after.slice(before);
    expect(fresh.filter((m) => m.from_worker === 'leader-fixed')).toHaveLength(8);
    expect(fresh.filter((m) => m.from_worker === 'worker-3')).toHaveLength(30);
    expect(new Set(after.map((m) => m.message_id)).size).toBe(after.length);
  });
});
