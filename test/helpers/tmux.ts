// Drives the real program in a tmux pane: send-keys to type, capture-pane to read the screen.
import { execFileSync } from 'node:child_process';
import { removeDir } from './state.js';

/** The sessions started and not yet killed (cleanUpAfterEach kills them). */
const started = new Set<TmuxSession>();

/**
 * After each test of the file that calls it: every tmux session the test started is killed, and
 * the directories `dirs()` names (the test's state roots) are removed.
 */
export function cleanUpAfterEach(afterEach: (fn: () => void) => void, dirs: () => ReadonlyArray<string | null> = () => []): void {
  afterEach(() => {
    for (const s of [...started]) s.kill();
    for (const d of dirs()) if (d) removeDir(d);
  });
}

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class TmuxSession {
  readonly name: string;
  private socket: string;

  constructor(tag: string) {
    this.name = `tt-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.socket = this.name;
    started.add(this);
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Starts `command` (argv) in a detached session of the given size. */
  start(argv: string[], cols: number, rows: number, env: Record<string, string> = {}): void {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // Keep the pane after the program exits, so the exit status can be read.
    this.tmux(['new-session', '-d', '-s', this.name, '-x', String(cols), '-y', String(rows), ...envArgs, `${quoted}; echo "EXITED=$?"; sleep 600`]);
    this.tmux(['set-option', '-t', this.name, 'status', 'off']);
  }

  /** A tmux format of the pane, e.g. '#{alternate_on}' or '#{cursor_flag}'. */
  display(format: string): string {
    return this.tmux(['display-message', '-p', '-t', this.name, format]).trim();
  }

  capture(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.name]);
  }

  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** Literal text (no key-name lookup). */
  type(text: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', text]);
  }

  /** Polls the screen until `pred` holds. */
  async waitFor(pred: (screen: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < end) {
      screen = this.capture();
      if (pred(screen)) return screen;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`screen did not match within ${timeoutMs} ms:\n${screen}`);
  }

  kill(): void {
    started.delete(this);
    try {
      this.tmux(['kill-server']);
    } catch {
      // already gone
    }
  }
}

/** The pid of the process named `comm` among the pane's descendants (the pane runs shells around it). */
export function paneProcess(s: TmuxSession, comm = 'node'): number {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.trim().split(/\s+/)).map(([pid, ppid, name]) => ({ pid: Number(pid), ppid: Number(ppid), name }));
  const mine = new Set([Number(s.display('#{pane_pid}'))]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) if (mine.has(r.ppid) && !mine.has(r.pid)) { mine.add(r.pid); grew = true; }
  }
  const found = rows.find((r) => mine.has(r.pid) && r.name === comm);
  if (!found) throw new Error(`no ${comm} process in the pane`);
  return found.pid;
}

/** Polls until `pred` holds (for what the screen does not show: a pane format, a file, a process). */
export async function until(pred: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
