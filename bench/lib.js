// Bench helpers: run the real program in a tmux pane whose raw output is piped to a file, and
// time when given text first appears in that output (millisecond resolution, no screen polling).
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class PipedPane {
  constructor(name, dir) {
    this.name = name;
    this.socket = `bench-${name}-${process.pid}`;
    this.out = join(dir, `${name}.raw`);
    writeFileSync(this.out, '');
    this.offset = 0;
    this.text = '';
  }

  tmux(args) {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Prepares the pane; the program starts on go(). */
  prepare(argv, cols, rows, env = {}) {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const cmd = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    this.tmux(['new-session', '-d', '-s', this.name, '-x', String(cols), '-y', String(rows), ...envArgs, `read go; exec ${cmd}`]);
    this.tmux(['set-option', '-t', this.name, 'status', 'off']);
    this.tmux(['pipe-pane', '-o', '-t', this.name, `cat >> '${this.out}'`]);
  }

  /** Starts the program; returns the start time (ms, performance clock). */
  go() {
    this.tmux(['send-keys', '-t', this.name, 'Enter']);
    return performance.now();
  }

  pid() {
    return Number(this.tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}']).trim());
  }

  readNew() {
    const size = statSync(this.out).size;
    if (size <= this.offset) return;
    const fd = openSync(this.out, 'r');
    const buf = Buffer.alloc(size - this.offset);
    readSync(fd, buf, 0, buf.length, this.offset);
    closeSync(fd);
    this.offset = size;
    // Keep a bounded tail: markers are searched in new output only.
    this.text = (this.text + buf.toString('utf8')).slice(-200_000);
  }

  /** Resolves with the time (performance clock) at which `needle` first shows in new output. */
  waitFor(needle, timeoutMs = 30_000) {
    const test = typeof needle === 'string' ? (t) => t.includes(needle) : needle;
    return new Promise((resolve, reject) => {
      const check = () => {
        this.readNew();
        if (test(this.text)) {
          const t = performance.now();
          done();
          this.text = '';
          resolve(t);
          return true;
        }
        return false;
      };
      const watcher = watch(this.out, () => check());
      const poll = setInterval(check, 20);
      const timer = setTimeout(() => { done(); reject(new Error(`timeout waiting for ${needle}`)); }, timeoutMs);
      const done = () => { watcher.close(); clearInterval(poll); clearTimeout(timer); };
      check();
    });
  }

  /** Forget output seen so far. */
  drain() {
    this.readNew();
    this.text = '';
  }

  keys(...k) {
    this.tmux(['send-keys', '-t', this.name, ...k]);
  }

  kill() {
    try { this.tmux(['kill-server']); } catch { /* gone */ }
  }
}

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

export const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
