// A directory of a state root that is there but cannot be read (no permission) is said, with its
// path and the OS's reason, in every format — never taken for "no teams", a team that has ended, or
// silently left out. Tests run as root too, where chmod does not deny anything: the denial is
// simulated at the fs calls, the way the kernel answers for a directory with mode 000 (it can be
// stat'ed from its parent; listing it, or reaching anything inside, is EACCES).
// test/check-unreadable.test.ts runs the real thing (chmod) through the CLI.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { prepareDemo } from '../src/demo/prepare.js';
import { NativeSource } from '../src/sources/native/source.js';
import { ClaudeSource } from '../src/sources/claude/source.js';
import { OmcSource, TEAMS_DIR } from '../src/sources/omc/source.js';
import { RootError } from '../src/sources/source.js';
import type { StateSource } from '../src/sources/source.js';
import { mountApp, type MountedApp } from './helpers/app.js';
import { removeDir, tempDir } from './helpers/state.js';

/** Makes `dir` behave as if its mode were 000, for this process's fs.promises calls. */
function deny(dir: string): void {
  const text = (p: unknown): string => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p));
  const calls: Array<[keyof typeof fsp, string, boolean]> = [
    // [function, syscall, whether it fails on the directory itself (not only on what is inside)]
    ['readdir', 'scandir', true], ['opendir', 'opendir', true], ['access', 'access', false], ['open', 'open', false],
    ['readFile', 'open', false], ['stat', 'stat', false], ['lstat', 'lstat', false], ['realpath', 'realpath', false],
  ];
  for (const [name, syscall, itself] of calls) {
    const real = (fsp[name] as (...a: unknown[]) => Promise<unknown>).bind(fsp);
    vi.spyOn(fsp, name as 'readdir').mockImplementation(((p: unknown, ...rest: unknown[]) => {
      const s = text(p);
      if ((itself && s === dir) || s.startsWith(`${dir}/`)) {
        return Promise.reject(Object.assign(new Error(`EACCES: permission denied, ${syscall} '${s}'`), { code: 'EACCES', errno: -13, syscall, path: s }));
      }
      return real(p, ...rest);
    }) as never);
  }
}

let demo: string;
let state: string;
let source: StateSource | null = null;
let app: MountedApp | null = null;
beforeEach(async () => {
  demo = await prepareDemo();
  state = tempDir('teamtop-kept-');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await app?.unmount();
  app = null;
  await source?.close();
  source = null;
  removeDir(demo);
  removeDir(state);
});

async function open<S extends StateSource>(s: S): Promise<S> {
  await source?.close();
  source = s;
  await s.load();
  return s;
}
const errorsOf = (s: StateSource) => s.getSnapshot().errors.map((e) => ({ file: e.file, team: e.team, message: e.message }));
const EACCES = (syscall: string, path: string): string => `cannot read: EACCES: permission denied, ${syscall} '${path}'`;

describe('the native format', () => {
  it('a team directory that cannot be listed is a root error naming it and why; the other teams are read', async () => {
    deny(join(demo, 'alpha-silent'));
    const s = await open(new NativeSource(demo));
    expect(s.getSnapshot().teams.map((t) => t.id)).toEqual(['beta-cycle', 'delta-consolidation', 'gamma-healthy']);
    expect(errorsOf(s)).toEqual([{ file: join(demo, 'alpha-silent'), team: 'alpha-silent', message: EACCES('opendir', join(demo, 'alpha-silent')) }]);
  });

  it('a root that cannot be listed is refused with the reason, not as a root without teams', async () => {
    deny(demo);
    const load = new NativeSource(demo).load();
    await expect(load).rejects.toBeInstanceOf(RootError);
    await expect(load).rejects.toThrow(`state root ${demo}: ${EACCES('scandir', demo)}`);
  });

  it('in the monitor, the team that cannot be read is the warning line', async () => {
    deny(join(demo, 'alpha-silent'));
    app = await mountApp(demo);
    expect(app.d.lastFrame()).toContain(`⚠ ${join(demo, 'alpha-silent')}: cannot read: EACCES: permission denied`);
  });
});

describe('Claude Code\'s ~/.claude', () => {
  const claude = (): string => join(demo, '.claude');
  const load = (): Promise<ClaudeSource> => open(new ClaudeSource(claude(), Date.now, {}, state));

  it('a team directory that cannot be read is a root error, and not an ended team either', async () => {
    // Read once, so that teamtop keeps a copy (what would bring it back as ended).
    expect((await load()).getSnapshot().teams.map((t) => t.id)).toContain('docs-sprint');
    const dir = join(claude(), 'teams', 'docs-sprint');
    deny(dir);
    const s = await load();
    expect(s.getSnapshot().teams.map((t) => t.id)).not.toContain('docs-sprint');
    expect(errorsOf(s)).toEqual([{ file: dir, team: 'docs-sprint', message: EACCES('access', join(dir, 'config.json')) }]);
  });

  it('a team\'s task list that cannot be read is said (not taken for task tools that are off)', async () => {
    const dir = join(claude(), 'tasks', 'docs-sprint');
    deny(dir);
    const s = await load();
    expect(s.getSnapshot().teams.map((t) => t.id)).toContain('docs-sprint');
    expect(errorsOf(s)).toEqual([{ file: dir, team: 'docs-sprint', message: EACCES('opendir', dir) }]);
  });

  it('teams/ that cannot be listed is said, and no kept copy comes back as ended', async () => {
    await load();
    deny(join(claude(), 'teams'));
    const s = await load();
    expect(s.getSnapshot().teams).toEqual([]);
    expect(errorsOf(s)).toEqual([{ file: join(claude(), 'teams'), team: undefined, message: EACCES('scandir', join(claude(), 'teams')) }]);
  });

  it('a directory that cannot be listed is refused with the reason', async () => {
    deny(claude());
    await expect(load()).rejects.toThrow(`Claude Code directory ${claude()}: ${EACCES('opendir', claude())}`);
  });
});

describe('oh-my-claudecode\'s .omc/state/team', () => {
  const project = (): string => join(demo, '.omc-project');

  it('a team directory that cannot be listed is a root error naming it and why, not a team of unreadable files', async () => {
    const dir = join(project(), TEAMS_DIR, 'cycle-team');
    deny(dir);
    const s = await open(new OmcSource(project(), { stateDir: state }));
    expect(s.getSnapshot().teams).toEqual([]);
    expect(errorsOf(s)).toEqual([{ file: dir, team: 'cycle-team', message: EACCES('opendir', dir) }]);
  });

  it('.omc that cannot be entered is refused with the reason, not as a project where no team ran', async () => {
    deny(join(project(), '.omc'));
    await expect(open(new OmcSource(project(), { stateDir: state }))).rejects.toThrow(`${join(project(), TEAMS_DIR)}: ${EACCES('stat', join(project(), TEAMS_DIR))}`);
  });
});
