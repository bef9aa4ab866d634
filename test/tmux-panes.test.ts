// The tmux probe and the jump against real tmux servers of this test's own (`-L tt-claude-…`,
// no configuration file), never the user's: the module is pointed at them through the TMUX
// variable of the env it is handed ("socket,pid,session", as tmux sets it in its panes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paneLiveness, parsePanes, probePanes, processAlive, type PaneProbe, type TmuxEnv } from '../src/tmux/panes.js';
import { canJump, jumpToPane } from '../src/tmux/jump.js';
import { tmuxNotify } from '../src/tmux/notify.js';

/**
 * This process's environment without anything pointing at a tmux server, and with a socket
 * directory of its own (TMUX_TMPDIR): every server the tests start, and every `claude-swarm-*`
 * server the probe looks for, lives there.
 */
const BASE: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'TMUX' && e[0] !== 'TMUX_PANE'),
  ),
  TMUX_TMPDIR: mkdtempSync(join(tmpdir(), 'teamtop-tmux-sockets-')),
};

const temps: string[] = [];
function tempDir(tag: string): string {
  const d = mkdtempSync(join(tmpdir(), `teamtop-tmux-${tag}-`));
  temps.push(d);
  return d;
}

class Server {
  constructor(readonly name = `tt-claude-${process.pid}-${Math.random().toString(36).slice(2, 8)}`) {}
  socket = '';
  pid = '';

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.name, '-f', '/dev/null', ...args], { encoding: 'utf8', env: BASE, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  /** Starts the server with a session running `sleep 600`; returns that session's first pane. */
  start(session: string): string {
    const pane = this.tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-P', '-F', '#{pane_id}', 'sleep 600');
    [this.socket, this.pid] = this.tmux('display-message', '-p', '-t', session, '#{socket_path} #{pid}').split(' ') as [string, string];
    return pane;
  }

  /** A new pane running `sleep 600`: a split of `target`, or a window of the session `target`. */
  pane(how: 'split-window' | 'new-window', target: string): string {
    return this.tmux(how, '-d', '-t', target, '-P', '-F', '#{pane_id}', 'sleep 600');
  }

  /** The env teamtop would have in a pane of `session` (and in `pane`, when given). */
  env(session: string, pane?: string): TmuxEnv {
    const id = this.tmux('display-message', '-p', '-t', session, '#{session_id}').replace('$', '');
    return { ...BASE, TMUX: `${this.socket},${this.pid},${id}`, ...(pane ? { TMUX_PANE: pane } : {}) };
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // not running
    }
    if (this.socket !== '') rmSync(this.socket, { force: true });
  }
}

/** Polls `fn` until `pred` holds for its value (tmux notices an exit a moment later). */
async function eventually<T>(fn: () => Promise<T> | T, pred: (v: T) => boolean, what: string): Promise<T> {
  const end = Date.now() + 15_000;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x] : x))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const tmuxMember = (id: string) => ({ tmuxPaneId: id, backendType: 'tmux' });
const statusOf = (p: PaneProbe, id: string) => (p.reachable ? p.panes.get(id) : `unreachable: ${p.reason}`);

/** Every pane id a server has. */
const paneIds = (srv: Server): string[] => srv.tmux('list-panes', '-a', '-F', '#{pane_id}').split('\n');

/** A new pane of session 'team' on `on` whose id `other` does not have (ids repeat across servers). */
function paneOnlyOn(on: Server, other: Server): string {
  let p = on.pane('split-window', 'team');
  while (paneIds(other).includes(p)) p = on.pane('split-window', 'team');
  return p;
}

const servers: Server[] = [];
function server(name?: string): Server {
  const s = new Server(name);
  servers.push(s);
  return s;
}

afterAll(() => {
  for (const s of servers) s.kill();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
  rmSync(BASE.TMUX_TMPDIR!, { recursive: true, force: true });
});

describe('probePanes on a real tmux server', () => {
  const srv = server();
  let first = '';
  let env: TmuxEnv = {};
  beforeAll(() => {
    first = srv.start('work');
    env = srv.env('work');
  });

  it('reports a pane whose process runs as alive', async () => {
    const probe = await probePanes([first], env);
    expect(probe).toEqual({ reachable: true, panes: new Map([[first, 'alive']]), asked: [srv.socket], where: new Map([[first, [srv.socket]]]) });
    expect(paneLiveness(tmuxMember(first), probe)).toEqual({ state: 'alive', signal: `tmux pane ${first} alive` });
  });

  it('reports a killed pane as gone, and its teammate dead, naming the servers asked', async () => {
    const p = srv.pane('split-window', 'work');
    expect(statusOf(await probePanes([p], env), p)).toBe('alive');
    srv.tmux('kill-pane', '-t', p);
    const probe = await probePanes([p], env);
    expect(statusOf(probe, p)).toBe('gone');
    expect(paneLiveness(tmuxMember(p), probe)).toEqual({ state: 'dead', signal: `tmux pane ${p} gone (asked ${srv.socket})` });
  });

  it('also asks Claude Code\'s own claude-swarm-* servers: a pane alive there is alive; an id on two servers is unknown', async () => {
    const swarm = server(`claude-swarm-${process.pid}`);
    try {
      const zero = swarm.start('team');
      // Pane ids repeat across servers (each numbers from %0): one only the swarm server has.
      const p = paneOnlyOn(swarm, srv);
      // teamtop runs inside another tmux (env points at `srv`), the teammate on the swarm server.
      const probe = await probePanes([p, '%999999', zero], env);
      expect(probe.reachable && probe.asked).toEqual([srv.socket, swarm.name]);
      expect(paneLiveness(tmuxMember(p), probe)).toEqual({ state: 'alive', signal: `tmux pane ${p} alive on ${swarm.name}` });
      expect(paneLiveness(tmuxMember('%999999'), probe)).toEqual({ state: 'dead', signal: `tmux pane %999999 gone (asked ${srv.socket}, ${swarm.name})` });
      // %0 is on both: a dead pane on one and a live one on the other must not make a teammate alive (or dead).
      expect(paneIds(srv)).toContain(zero);
      expect(paneLiveness(tmuxMember(zero), probe)).toEqual({
        state: 'unknown', signal: `tmux pane ${zero} exists on several servers (${srv.socket}, ${swarm.name}): which is the teammate's cannot be told`,
      });
    } finally {
      swarm.kill();
    }
  });

  it('reports a pane kept after its process exited (remain-on-exit) as dead', async () => {
    const p = srv.pane('new-window', 'work');
    srv.tmux('set-option', '-p', '-t', p, 'remain-on-exit', 'on');
    process.kill(Number(srv.tmux('display-message', '-p', '-t', p, '#{pane_pid}')), 'SIGTERM');
    const probe = await eventually(() => probePanes([p], env), (r) => statusOf(r, p) !== 'alive', 'the pane to die');
    expect(statusOf(probe, p)).toBe('dead');
    expect(srv.tmux('display-message', '-p', '-t', p, '#{pane_dead}')).toBe('1');
    // A dead pane is proof on its own: the server holds it.
    expect(paneLiveness(tmuxMember(p), probe)).toEqual({ state: 'dead', signal: `tmux pane ${p}: process exited` });
  });

  it('never reports a pane whose process was killed as alive', async () => {
    const p = srv.pane('new-window', 'work');
    process.kill(Number(srv.tmux('display-message', '-p', '-t', p, '#{pane_pid}')), 'SIGKILL');
    const probe = await eventually(() => probePanes([first, p], env), (r) => statusOf(r, p) !== 'alive', 'the pane to stop being alive');
    expect(['dead', 'gone']).toContain(statusOf(probe, p));
    expect(paneLiveness(tmuxMember(p), probe).state).toBe('dead');
  });

  it('asks tmux once, and never about what is not a pane id', async () => {
    // A tmux in front of the real one that writes down its arguments.
    const bin = tempDir('bin');
    const log = join(bin, 'calls.log');
    const real = execFileSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'tmux'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
    chmodSync(join(bin, 'tmux'), 0o755);
    writeFileSync(log, '');
    const spy = { ...env, PATH: `${bin}:${BASE.PATH ?? ''}` };
    const calls = (): string[] => readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');

    const bad = ['%1;rm -rf /', 'in-process', '', '%', '1', ' %1', '%1 ', '%1\n'];
    const probe = await probePanes([...bad, first, first], spy);
    expect(probe.reachable && [...probe.panes]).toEqual([[first, 'alive']]);
    expect(calls()).toHaveLength(1);
    expect(calls()[0]).toMatch(/^-S \S+ list-panes -a -F /);
    expect(calls()[0]).not.toContain('rm -rf');

    expect(await probePanes(bad, spy)).toEqual({ reachable: false, reason: 'no tmux pane to ask about' });
    expect(await jumpToPane('%1;rm -rf /', spy)).toEqual({ ok: false, reason: 'not a tmux pane' });
    expect(await jumpToPane('in-process', spy)).toEqual({ ok: false, reason: 'not a tmux pane' });
    expect(calls()).toHaveLength(1);

    expect(paneLiveness({ tmuxPaneId: '%1;rm -rf /', backendType: 'tmux' }, probe)).toEqual({ state: 'unknown', signal: 'not a tmux pane id' });
    expect(paneLiveness({ tmuxPaneId: 'in-process', backendType: 'in-process' }, probe)).toEqual({ state: 'unknown', signal: 'no pane (in-process)' });
    expect(paneLiveness({ tmuxPaneId: '', backendType: 'in-process' }, probe)).toEqual({ state: 'unknown', signal: 'no pane (in-process)' });
    expect(paneLiveness({ tmuxPaneId: 'leader' }, probe)).toEqual({ state: 'unknown', signal: 'no pane (leader)' });
    expect(paneLiveness({ tmuxPaneId: '' }, probe)).toEqual({ state: 'unknown', signal: 'no pane' });
    expect(paneLiveness({ tmuxPaneId: first, backendType: 'iterm2' }, probe)).toEqual({ state: 'unknown', signal: 'no tmux pane (iterm2)' });
    // A pane the probe did not ask about is not known to be gone.
    expect(paneLiveness(tmuxMember('%999999'), probe)).toEqual({ state: 'unknown', signal: 'tmux pane %999999 not checked' });
  });
});

describe('probePanes when tmux cannot answer', () => {
  const expectUnreachable = async (env: TmuxEnv, reason: RegExp): Promise<void> => {
    const probe = await probePanes(['%0'], env);
    expect(probe.reachable).toBe(false);
    const why = probe.reachable ? '' : probe.reason;
    expect(why).toMatch(reason);
    expect(why).not.toMatch(/[\n\r\t]/);
    expect(paneLiveness(tmuxMember('%0'), probe)).toEqual({ state: 'unknown', signal: `tmux not reachable: ${why}` });
  };

  it('a socket that does not exist', async () => {
    await expectUnreachable({ ...BASE, TMUX: `${tempDir('nosock')}/sock,1,0` }, /error connecting to .*sock/);
  });

  it('a server that is no longer running', async () => {
    const gone = server();
    gone.start('x');
    const env = gone.env('x');
    gone.tmux('kill-server');
    await eventually(() => processAlive(Number(gone.pid)), (a) => !a, 'the server to exit');
    await expectUnreachable(env, /no server running|error connecting/);
  });

  it('TMUX unset and no default server (a TMUX_TMPDIR of our own, so the real default is never asked)', async () => {
    await expectUnreachable({ ...BASE, TMUX_TMPDIR: tempDir('tmpdir') }, /error connecting|no server running/);
  });

  it('a TMUX that does not start with a socket path', async () => {
    await expectUnreachable({ ...BASE, TMUX: 'garbage' }, /socket path/);
  });

  it('no tmux binary', async () => {
    await expectUnreachable({ ...BASE, PATH: tempDir('empty'), TMUX_TMPDIR: tempDir('tmpdir') }, /^tmux is not installed/);
  });

  it('a tmux that does not answer is given up on', async () => {
    const bin = tempDir('slow');
    writeFileSync(join(bin, 'tmux'), '#!/bin/sh\nexec sleep 30\n');
    chmodSync(join(bin, 'tmux'), 0o755);
    await expectUnreachable({ ...BASE, PATH: `${bin}:${BASE.PATH ?? ''}`, TMUX_TMPDIR: tempDir('tmpdir') }, /did not answer within/);
  });
});

describe('parsePanes', () => {
  const alive = (pids: number[]) => (pid: number) => pids.includes(pid);
  const out = ['%1\t0\t101\t9', '%2\t1\t102\t9', '%3\t0\t103\t9', 'garbage', '%4;x\t0\t104\t9', '%5\t?\t105\t9', '%6\t0\tnope\t9', ''].join('\n');

  it('reads each pane defensively, and checks the pid of a pane tmux thinks alive', () => {
    expect(parsePanes(out, ['%1', '%2', '%3', '%4;x', '%5', '%6', '%7'], alive([9, 101, 102]))).toEqual(new Map([
      ['%1', 'alive'], ['%2', 'dead'], ['%3', 'dead'], ['%5', 'gone'], ['%6', 'alive'], ['%7', 'gone'],
    ]));
  });

  it('believes only #{pane_dead} when the server\'s own pid is not visible (another pid namespace)', () => {
    expect(parsePanes(out, ['%1', '%2', '%3'], alive([]))).toEqual(new Map([['%1', 'alive'], ['%2', 'dead'], ['%3', 'alive']]));
  });
});

describe('jumpToPane from a client attached to a private server', () => {
  const srv = server();
  const outer = server();
  let home = '';
  let split = '';
  let other = '';
  let away = '';
  let env: TmuxEnv = {};
  let teamtops = ''; // the client showing teamtop's session
  /** What a client shows (by default teamtop's): session, window index, active pane. */
  const shown = (client = teamtops): string => srv.tmux('list-clients', '-F', '#{client_name} #{session_name} #{window_index} #{pane_id}')
    .split('\n').filter((l) => l.startsWith(`${client} `)).map((l) => l.slice(client.length + 1)).join('\n');
  /** Attaches a real client to `session`: `tmux attach` in a new session of the second private server. */
  const attach = async (session: string): Promise<string> => {
    const before = srv.tmux('list-clients', '-F', '#{client_name}');
    outer.tmux('new-session', '-d', '-x', '120', '-y', '40', `env -u TMUX tmux -L ${srv.name} attach -t ${session}`);
    const after = await eventually(() => srv.tmux('list-clients', '-F', '#{client_name}').split('\n'), (c) => c.some((n) => n !== '' && !before.includes(n)), 'a client to attach');
    return after.find((n) => n !== '' && !before.includes(n))!;
  };
  /** The active window and pane of a session, as display-message reports them. */
  const active = (session: string): string => srv.tmux('display-message', '-p', '-t', session, '#{window_index} #{pane_id}');

  beforeAll(async () => {
    home = srv.start('a'); // teamtop's pane
    split = srv.pane('split-window', 'a:0');
    other = srv.pane('new-window', 'a');
    srv.start('b');
    away = srv.tmux('display-message', '-p', '-t', 'b', '#{pane_id}');
    srv.tmux('select-pane', '-t', home);
    outer.start('o');
    teamtops = await attach('a');
    env = srv.env('a', home);
  });

  it('is offered only inside tmux, with a server that answers', async () => {
    expect(await canJump(env)).toBe(true);
    expect(await canJump(BASE)).toBe(false);
    expect(await canJump({ ...BASE, TMUX: `${tempDir('nosock')}/sock,1,0` })).toBe(false);
  });

  it('moves the client to another window, another pane, another session, and back', async () => {
    expect(shown()).toBe(`a 0 ${home}`);
    expect(await jumpToPane(other, env)).toEqual({ ok: true });
    expect(shown()).toBe(`a 1 ${other}`);
    expect(active('a')).toBe(`1 ${other}`);

    expect(await jumpToPane(split, env)).toEqual({ ok: true });
    expect(shown()).toBe(`a 0 ${split}`);

    expect(await jumpToPane(away, env)).toEqual({ ok: true });
    expect(shown()).toBe(`b 0 ${away}`);
    expect(active('b')).toBe(`0 ${away}`);

    expect(await jumpToPane(home, env)).toEqual({ ok: true });
    expect(shown()).toBe(`a 0 ${home}`);
  });

  it('says why when it cannot', async () => {
    expect(await jumpToPane('%999999', env)).toEqual({ ok: false, reason: `no tmux server has pane %999999 (asked ${srv.socket})` });
    // A teammate on another server (Claude Code's swarm server), or an id two servers have: not here.
    const swarm = server(`claude-swarm-${process.pid}`);
    try {
      const zero = swarm.start('team');
      const p = paneOnlyOn(swarm, srv);
      expect(await jumpToPane(p, env)).toEqual({ ok: false, reason: `its pane is on another tmux server (${swarm.name}): attach to that server to see it` });
      expect((await jumpToPane(zero, env) as { reason: string }).reason).toMatch(/exists on several tmux servers/);
      expect(shown()).toBe(`a 0 ${home}`);
    } finally {
      swarm.kill();
    }
    expect(await jumpToPane(other, BASE)).toEqual({ ok: false, reason: 'teamtop is not running inside tmux' });
    expect(shown()).toBe(`a 0 ${home}`);
  });

  it('moves the client showing teamtop, not a more recent one elsewhere', async () => {
    const elsewhere = await attach('b'); // attached last: the most recently active client
    expect(shown()).toBe(`a 0 ${home}`);
    expect(await jumpToPane(split, env)).toEqual({ ok: true });
    expect(shown()).toBe(`a 0 ${split}`);
    expect(shown(elsewhere)).toBe(`b 0 ${away}`);
    expect(await jumpToPane(other, env)).toEqual({ ok: true });
    expect(shown()).toBe(`a 1 ${other}`);
    expect(shown(elsewhere)).toBe(`b 0 ${away}`);
  });

  it('a new critical alert shows on the status line of teamtop\'s session, taken literally (no tmux formats)', async () => {
    expect(await tmuxNotify('teamtop: CRIT crew teammate-dead: #{pane_id} 100% \u001b[31mred', env)).toBe(true);
    // The attached clients are panes of the outer server: the message is on a status line there.
    const screens = (): string => outer.tmux('list-panes', '-a', '-F', '#{pane_id}').split('\n').map((p) => outer.tmux('capture-pane', '-p', '-t', p)).join('\n');
    const line = (await eventually(screens, (s) => s.includes('teamtop: CRIT'), 'the message')).split('\n').find((l) => l.includes('teamtop: CRIT'))!;
    // The escape sequence is gone (sanitized), the format stays literal.
    expect(line).toContain('teamtop: CRIT crew teammate-dead: #{pane_id} 100% red');
    expect(await tmuxNotify('x', BASE)).toBe(false);
  });
});
