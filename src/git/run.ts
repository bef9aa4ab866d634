// Running git: always execFile-style (spawn with an argument array, never a shell), with the
// variables that would point git at another repository, index or object store removed, stdin
// always closed, output collected as bytes (paths are bytes, not UTF-8).
import { spawn } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { oneLine } from '../safety/sanitize.js';

/** Refuse to hold more than this much output of one command in memory. File contents never go
 *  through this: blobs larger than a small part of it are streamed to disk (blob-chunks.ts). */
const MAX_OUTPUT = 1024 * 1024 * 1024;

/** The output cap (TEAMTOP_TEST_GIT_MAX_OUTPUT lowers it, for tests only). */
export function outputLimit(): number {
  const t = Number(process.env.TEAMTOP_TEST_GIT_MAX_OUTPUT);
  return Number.isSafeInteger(t) && t > 0 ? t : MAX_OUTPUT;
}

/** Inherited variables that would point git at another repository, index or object store. */
export const REDIRECTING_ENV = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX', 'GIT_NAMESPACE',
  'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH',
  'GIT_LITERAL_PATHSPECS', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS',
];

export const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A git command that exited non-zero (or could not be started). */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
    detail?: string,
  ) {
    const sub = args.find((a) => !a.startsWith('-')) ?? 'git';
    const first = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '');
    super(`git ${sub} failed: ${oneLine(detail ?? first ?? `exit code ${exitCode ?? 'unknown'}`)}`);
    this.name = 'GitError';
  }
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string | Buffer;
  /** Exit codes that are answers rather than failures (default: only 0). */
  okCodes?: readonly number[];
  /** Message for the GitError when git fails without saying why (e.g. with --quiet). */
  detail?: string;
}

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export function gitEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of REDIRECTING_ENV) delete env[k];
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
}

export function runGit(cwd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const ok = opts.okCodes ?? [0];
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn('git', [...args], { cwd, env: gitEnv(opts.env), windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let tooBig = false;
    const max = outputLimit();
    let spawnError: Error | null = null;
    child.stdout.on('data', (b: Buffer) => {
      outLen += b.length;
      if (outLen > max) {
        if (!tooBig) child.kill('SIGKILL');
        tooBig = true;
      } else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (spawnError) {
        const e = spawnError as NodeJS.ErrnoException;
        reject(new GitError(args, stderr, null, e.code === 'ENOENT' ? `could not run git in ${cwd} (${e.message})` : e.message));
        return;
      }
      if (tooBig) {
        reject(new GitError(args, stderr, null, `more than ${max} bytes of output`));
        return;
      }
      if (code === null) {
        reject(new GitError(args, stderr, null, `killed by ${signal ?? 'a signal'}`));
        return;
      }
      const stdout = Buffer.concat(out);
      if (code === 0 || ok.includes(code)) {
        resolve({ code, stdout, stderr });
        return;
      }
      reject(new GitError(args, stderr, code, stderr.trim() === '' ? opts.detail : undefined));
    });
    // stdin is a pipe: always close it so no command can wait for input.
    child.stdin.on('error', () => undefined); // EPIPE when git exits without reading everything
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Runs git with its standard output going straight into the open file `fd` (a blob of any size
 * never passes through memory); resolves when git exits 0.
 */
export function runGitToFd(cwd: string, args: readonly string[], fd: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('git', [...args], { cwd, env: gitEnv(), windowsHide: true, stdio: ['ignore', fd, 'pipe'] });
    const err: Buffer[] = [];
    let spawnError: Error | null = null;
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (spawnError) reject(new GitError(args, stderr, null, spawnError.message));
      else if (code === null) reject(new GitError(args, stderr, null, `killed by ${signal ?? 'a signal'}`));
      else if (code !== 0) reject(new GitError(args, stderr, code));
      else resolve();
    });
  });
}

export function text(r: RunResult): string {
  return r.stdout.toString('utf8');
}

/** Output with the single trailing newline git adds removed (paths may contain spaces). */
export function firstLine(r: RunResult): string {
  return text(r).replace(/\n$/, '');
}

/** A repository's top level, with the commands that every operation needs. */
export class GitContext {
  private gitDirP: Promise<string> | undefined;

  constructor(readonly top: string) {}

  run(args: readonly string[], opts?: RunOptions): Promise<RunResult> {
    return runGit(this.top, args, opts);
  }

  /** The absolute git directory (the per-worktree one for a linked worktree). */
  gitDir(): Promise<string> {
    if (!this.gitDirP) {
      const p = this.run(['rev-parse', '--absolute-git-dir']).then(firstLine);
      p.catch(() => {
        if (this.gitDirP === p) this.gitDirP = undefined;
      });
      this.gitDirP = p;
    }
    return this.gitDirP;
  }

  /** `git rev-parse --git-path NAME`, absolute. */
  async gitPath(name: string): Promise<string> {
    return resolvePath(this.top, firstLine(await this.run(['rev-parse', '--git-path', name])));
  }
}

/**
 * Test-only crash points: when TEAMTOP_TEST_CRASH_AT names this point, the process SIGKILLs
 * itself here (the crash tests prove that re-running completes the operation and loses nothing).
 */
export function crashPoint(name: string): void {
  if (process.env.TEAMTOP_TEST_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}

/**
 * Test-only: a test sets `at` to act at named points of this process (e.g. swap a directory for a
 * symbolic link between the check of a path and the write through it), and `noPinning` to make
 * the safe writer use plain paths as it does where /proc/self/fd is missing. Never set otherwise.
 */
export const testHooks: { at?: (point: string, path: string) => void; noPinning?: boolean } = {};

export function hookPoint(point: string, path: string): void {
  testHooks.at?.(point, path);
}
