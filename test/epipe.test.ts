// A reader that goes away (`teamtop check --json | head -c 10`) closes the pipe under teamtop: the
// rest of the output is dropped, quietly — no stack trace, no "internal error" — and the command
// ends at once with its own exit code. Whatever the command, and whether stdout or stderr closes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, PROJECT } from './helpers/cli.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';

let dir: string;
let big: string;
let log: string;

beforeAll(() => {
  dir = tempDir();
  log = join(dir, 'teamtop.log');
  // Far more output than a pipe holds (64 KiB): 3000 dead teammates, each with two alerts, make
  // megabytes of JSON and hundreds of KiB of text. The reader is gone long before the writer is.
  big = join(dir, 'state');
  const old = iso(Date.now() - 3 * 3600_000);
  writeTeam(big, 'big', {
    teammates: Array.from({ length: 3000 }, (_, i) => ({
      id: `tm_${i}`, name: `Teammate ${i}`, status: 'active', last_heartbeat: old,
      context_tokens_used: 199_000, context_tokens_max: 200_000,
    })),
  });
});
afterAll(() => removeDir(dir));

/**
 * Runs `teamtop ARGS | READER` in bash; the result's status is teamtop's own (PIPESTATUS), its
 * stdout what the reader printed, its stderr teamtop's and the reader's.
 */
function pipeline(args: string, reader: string, redirect = ''): ReturnType<typeof spawnSync> & { stdout: Buffer; stderr: Buffer } {
  const script = `"${process.execPath}" "${BIN}" ${args} ${redirect} | ${reader}; exit "\${PIPESTATUS[0]}"`;
  return spawnSync('bash', ['-c', script], {
    cwd: PROJECT, env: { ...process.env, TEAMTOP_LOG: log }, timeout: 30_000,
  }) as ReturnType<typeof spawnSync> & { stdout: Buffer; stderr: Buffer };
}

function quiet(r: ReturnType<typeof pipeline>): void {
  expect(r.error).toBeUndefined(); // in particular, not killed for taking too long
  expect(r.signal).toBeNull();
  expect(r.stderr.toString()).toBe('');
  expect(existsSync(log)).toBe(false); // no internal error was logged
}

describe('a closed output pipe', () => {
  it.each([
    ['check --json (megabytes)', () => `check --root "${big}" --json`, 1],
    ['check (text, hundreds of KiB)', () => `check --root "${big}"`, 1],
  ])('%s | head -c 10: the first 10 bytes, no stack trace, the command\'s own exit code', (_name, args, code) => {
    const r = pipeline(args(), 'head -c 10');
    quiet(r);
    expect(r.stdout.length).toBe(10);
    expect(r.status).toBe(code);
  });

  it.each([
    ['check --demo --json', '{\n  "teams'],
    ['check --demo', null],
  ])('%s | head -c 10', (args, start) => {
    const r = pipeline(args, 'head -c 10');
    quiet(r);
    expect(r.stdout.length).toBe(10);
    if (start) expect(r.stdout.toString()).toBe(start);
  });

  it('--help | head -c 5', () => {
    const r = pipeline('--help', 'head -c 5');
    quiet(r);
    expect(r.stdout.toString()).toBe('usage');
    expect(r.status).toBe(0);
  });

  // `true` exits without reading: the pipe is closed before teamtop has written anything.
  it.each([
    ['--version', 0], ['--help', 0], ['check --help', 0], ['act --help', 0], ['postmortem --help', 0], ['lessons --help', 0],
    ['check --demo --json', 1],
  ])('%s | true: nothing, quietly', (args, code) => {
    const r = pipeline(args, 'true');
    quiet(r);
    expect(r.stdout.length).toBe(0);
    expect(r.status).toBe(code);
  });

  it('a closed stderr: a usage error still exits 2, and nothing crashes', () => {
    // stderr into the pipe, stdout to /dev/null: the message meets the closed pipe.
    const r = pipeline('check --no-such-option', 'true', '2>&1 >/dev/null');
    quiet(r);
    expect(r.status).toBe(2);
  });
});
