// A long-running command of the program (serve, check --watch) as a child process whose output is
// read as it comes: wait for a line or a condition instead of sleeping.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN, PROJECT } from './cli.js';

export class Running {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT, env: { ...process.env, ...env } });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => { this.stdout += d; this.wake(); });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => { this.stderr += d; this.wake(); });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => { this.wake(); resolve(code); }));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until `pred` holds of the output so far (stdout, stderr). */
  async until(pred: (out: string, err: string) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred(this.stdout, this.stderr)) {
      if (this.child.exitCode !== null) throw new Error(`exited (${this.child.exitCode}) before ${what}:\n${this.stdout}\n${this.stderr}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}:\n${this.stdout}\n${this.stderr}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, Math.min(left, 500)); });
    }
  }

  /** stdout's complete lines, parsed as JSON. */
  lines(): Array<Record<string, unknown>> {
    return this.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
