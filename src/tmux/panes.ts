// Asking tmux whether the panes teammates run in (Claude Code's tmux teammates) are still there.
// Stateless: each probe is one `tmux list-panes -a` per server (no shell, short timeout, bounded
// output), so the TUI can poll it every few seconds. Which servers: the one of $TMUX when teamtop
// runs inside tmux, else the default one (tmux itself honours TMUX_TMPDIR) — and Claude Code's own
// private servers (`claude-swarm-<pid>` sockets, used when its lead runs outside tmux;
// anthropics/claude-code#41114), since pane ids mean something only on their own server.
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Liveness } from '../model/types.js';
import { clip, oneLine } from '../safety/sanitize.js';

/** A tmux pane id. Nothing else is ever handed to tmux as a target. */
export const PANE_ID = /^%\d{1,9}$/;

export function isPaneId(id: unknown): id is string {
  return typeof id === 'string' && PANE_ID.test(id);
}

/** The environment tmux is asked with: $TMUX picks the server, PATH finds the binary. */
export type TmuxEnv = Readonly<Record<string, string | undefined>>;

export const TMUX_TIMEOUT_MS = 2000;
/** A thousand panes take about 40 kB; more than this is not an answer we want to hold. */
const MAX_OUTPUT = 1024 * 1024;

export type TmuxAnswer = { ok: true; stdout: string } | { ok: false; reason: string };

/** Whether teamtop runs inside tmux (only then is there a client to move). */
export function insideTmux(env: TmuxEnv = process.env): boolean {
  return (env.TMUX ?? '') !== '';
}

/**
 * The global options that pick the server: `-S <socket>` from $TMUX ("socket_path,pid,session";
 * tmux also cuts it at the first comma), nothing for the default server.
 */
export function serverArgs(env: TmuxEnv = process.env): { ok: true; args: string[] } | { ok: false; reason: string } {
  if (!insideTmux(env)) return { ok: true, args: [] };
  const socket = env.TMUX!.split(',')[0]!;
  if (!socket.startsWith('/')) return { ok: false, reason: '$TMUX does not start with a socket path' };
  return { ok: true, args: ['-S', socket] };
}

const reason = (s: string): string => clip(oneLine(s), 160);

/**
 * Runs `tmux <server options> <args>` without a shell. stdin is /dev/null: tmux then finds
 * "the current pane" from $TMUX_PANE or $TMUX rather than from our terminal.
 */
export function runTmux(args: readonly string[], env: TmuxEnv = process.env, serverOverride?: readonly string[]): Promise<TmuxAnswer> {
  const server = serverOverride ? { ok: true as const, args: [...serverOverride] } : serverArgs(env);
  if (!server.ok) return Promise.resolve(server);
  return new Promise<TmuxAnswer>((resolve) => {
    const child = spawn('tmux', [...server.args, ...args], { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | null = null;
    // The child keeps the event loop alive while it runs; the timer itself must not.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TMUX_TIMEOUT_MS);
    timer.unref();
    const collect = (into: Buffer[]) => (b: Buffer): void => {
      size += b.length;
      if (size <= MAX_OUTPUT) into.push(b);
      else if (!tooBig) {
        tooBig = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      const said = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '');
      const failed = spawnError as NodeJS.ErrnoException | null;
      if (failed) resolve({ ok: false, reason: failed.code === 'ENOENT' ? 'tmux is not installed (not found in PATH)' : reason(`could not run tmux: ${failed.message}`) });
      else if (timedOut) resolve({ ok: false, reason: `tmux did not answer within ${TMUX_TIMEOUT_MS / 1000} s` });
      else if (tooBig) resolve({ ok: false, reason: 'tmux answered with too much output' });
      else if (code !== 0) resolve({ ok: false, reason: reason(said ?? (code === null ? `tmux killed by ${signal ?? 'a signal'}` : `tmux exited with code ${code}`)) });
      else resolve({ ok: true, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
}

/**
 * alive: the pane exists, is not dead and its process runs. dead: tmux keeps the pane after its
 * process exited (remain-on-exit), or the process is gone. gone: no such pane on the server.
 */
export type PaneStatus = 'alive' | 'dead' | 'gone';

export type PaneProbe =
  | { reachable: false; reason: string }
  | {
    reachable: true; panes: Map<string, PaneStatus>; /** The servers that answered. */ asked: string[];
    /** Per pane id, the servers that have a pane with that id (alive or dead), when any does. */
    where: Map<string, string[]>;
  };

/** Whether a process exists (EPERM: it does, it is someone else's). */
export function processAlive(pid: number): boolean {
  // 0 and negative numbers would signal process groups.
  if (!Number.isSafeInteger(pid) || pid < 1) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One line per pane (a window linked into two sessions lists its panes twice, alike). */
const FORMAT = '#{pane_id}\t#{pane_dead}\t#{pane_pid}\t#{pid}';

function parsePid(s: string | undefined): number | null {
  return s !== undefined && /^[1-9]\d{0,9}$/.test(s) ? Number(s) : null;
}

/**
 * The status of each valid id in `paneIds`, from `list-panes -a -F FORMAT` output. Lines that do
 * not parse are ignored. When the server's own pid is not a process we can see, tmux runs in
 * another pid namespace: pane pids mean nothing here and only #{pane_dead} is believed.
 */
export function parsePanes(stdout: string, paneIds: readonly string[], alive: (pid: number) => boolean = processAlive): Map<string, PaneStatus> {
  const rows = new Map<string, { dead: boolean; pid: number | null }>();
  let serverPid: number | null = null;
  for (const line of stdout.split('\n')) {
    const [id, dead, pid, server] = line.replace(/\r$/, '').split('\t');
    if (!isPaneId(id) || (dead !== '0' && dead !== '1')) continue;
    rows.set(id, { dead: dead === '1', pid: parsePid(pid) });
    serverPid ??= parsePid(server);
  }
  const pidsMeanSomething = serverPid === null || alive(serverPid);
  const panes = new Map<string, PaneStatus>();
  for (const id of paneIds) {
    if (!isPaneId(id)) continue;
    const row = rows.get(id);
    if (!row) panes.set(id, 'gone');
    else if (row.dead || (pidsMeanSomething && row.pid !== null && !alive(row.pid))) panes.set(id, 'dead');
    else panes.set(id, 'alive');
  }
  return panes;
}

/** A tmux server to ask: how to name it in messages, and the options that pick it. */
export interface TmuxServer {
  label: string;
  args: string[];
}

/**
 * The servers a teammate's pane can be on: $TMUX's (or the default), and every `claude-swarm-*`
 * socket in tmux's socket directory ($TMUX_TMPDIR or /tmp, then tmux-<uid>).
 */
export async function tmuxServers(env: TmuxEnv = process.env): Promise<TmuxServer[] | { reason: string }> {
  const base = serverArgs(env);
  if (!base.ok) return { reason: base.reason };
  const out: TmuxServer[] = [{ label: base.args.length ? base.args[1]! : 'the default server', args: base.args }];
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  if (uid === null) return out;
  const dir = join(env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  for (const n of names.filter((x) => /^claude-swarm-\d{1,10}$/.test(x)).sort().slice(0, 32)) {
    const path = join(dir, n);
    if (out.some((o) => o.args[1] === path)) continue;
    const st = await fsp.lstat(path).catch(() => null);
    if (st?.isSocket()) out.push({ label: n, args: ['-S', path] });
  }
  return out;
}

/**
 * Asks every server (one call each) about every pane id in `paneIds`; anything that is not a pane
 * id is left out (and never reaches tmux). With no pane id at all tmux is not asked. Pane ids are
 * only unique within a server (each numbers from %0): a pane on exactly one server has that
 * server's status; on several, which one is the teammate's cannot be told (`where` lists them, and
 * paneLiveness says unknown); on none it is gone — when at least one server answered (none
 * answering is "not reachable", never a death).
 */
export async function probePanes(paneIds: readonly string[], env: TmuxEnv = process.env, only?: readonly TmuxServer[]): Promise<PaneProbe> {
  const wanted = [...new Set(paneIds.filter(isPaneId))];
  if (wanted.length === 0) return { reachable: false, reason: 'no tmux pane to ask about' };
  // `only`: the server the panes are known to be on (a format that records it), and no other.
  const servers = only ? [...only] : await tmuxServers(env);
  if (!Array.isArray(servers)) return { reachable: false, reason: servers.reason };
  if (servers.length === 0) return { reachable: false, reason: 'no tmux server to ask' };
  const answers = await Promise.all(servers.map(async (srv) => ({ srv, r: await runTmux(['list-panes', '-a', '-F', FORMAT], env, srv.args) })));
  const ok = answers.filter((a) => a.r.ok);
  if (ok.length === 0) return { reachable: false, reason: (answers[0]!.r as { reason: string }).reason };
  const panes = new Map<string, PaneStatus>(wanted.map((id) => [id, 'gone']));
  const where = new Map<string, string[]>();
  for (const a of ok) {
    for (const [id, st] of parsePanes((a.r as { stdout: string }).stdout, wanted)) {
      if (st === 'gone') continue;
      const on = where.get(id) ?? [];
      on.push(a.srv.label);
      where.set(id, on);
      panes.set(id, st);
    }
  }
  return { reachable: true, panes, asked: ok.map((a) => a.srv.label), where };
}

/** The member fields that say where a teammate runs (Claude Code's config.json). */
export interface PaneMember {
  tmuxPaneId?: string | null;
  backendType?: string | null;
}

/** Why a member has no tmux pane to ask about, or null when it has one. */
function noPane(m: PaneMember): string | null {
  const id = m.tmuxPaneId ?? '';
  const backend = m.backendType ?? '';
  if (backend === 'in-process' || id === 'in-process') return 'no pane (in-process)';
  if (backend === 'iterm2') return 'no tmux pane (iterm2)';
  if (backend !== '' && backend !== 'tmux') return 'no tmux pane (other backend)';
  if (id === 'leader') return 'no pane (leader)';
  if (id === '') return 'no pane';
  // The id itself is untrusted text: it is not repeated.
  if (!isPaneId(id)) return 'not a tmux pane id';
  return null;
}

/**
 * Whether a member is alive as far as its tmux pane tells. Dead only on proof: its pane's process
 * exited, or no server that answered holds the pane (the signal names the servers asked).
 */
export function paneLiveness(member: PaneMember, probe: PaneProbe): Liveness {
  const none = noPane(member);
  if (none !== null) return { state: 'unknown', signal: none };
  const id = member.tmuxPaneId!;
  if (!probe.reachable) return { state: 'unknown', signal: `tmux not reachable: ${probe.reason}` };
  const status = probe.panes.get(id);
  const on = probe.where.get(id) ?? [];
  if (on.length > 1) return { state: 'unknown', signal: `tmux pane ${id} exists on several servers (${on.join(', ')}): which is the teammate's cannot be told` };
  const at = on.length === 1 && on[0] !== probe.asked[0] ? ` on ${on[0]}` : '';
  if (status === 'alive') return { state: 'alive', signal: `tmux pane ${id} alive${at}` };
  if (status === 'dead') return { state: 'dead', signal: `tmux pane ${id}${at}: process exited` };
  if (status === undefined) return { state: 'unknown', signal: `tmux pane ${id} not checked` };
  return { state: 'dead', signal: `tmux pane ${id} gone (asked ${probe.asked.join(', ')})` };
}
