import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { runCli, PROJECT } from './helpers/cli.js';
import { tempDir, removeDir } from './helpers/state.js';

describe('teamtop (no TTY)', () => {
  it('prints its version', () => {
    const r = runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`teamtop ${JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')).version}`);
  });

  it('prints usage with --help', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/usage: teamtop/);
  });

  it('refuses to start the monitor without a terminal, with exit code 2 and no stack', () => {
    const r = runCli(['--demo']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs a terminal/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('rejects unknown options as a usage error: one line that points to --help', () => {
    for (const [args, line] of [
      [['--frobnicate'], 'teamtop: unknown option --frobnicate (see teamtop --help)'],
      [['check', '--bogus'], 'teamtop check: unknown option --bogus (see teamtop check --help)'],
      [['act', 'wake', '--team'], 'teamtop act: --team needs a value (see teamtop act --help)'],
      [['postmortem', '--x=1'], 'teamtop postmortem: unknown option --x (see teamtop postmortem --help)'],
    ] as const) {
      const r = runCli([...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`${line}\n`);
    }
  });

  it('--help of every command lists its own options, their descriptions in one column', () => {
    for (const cmd of [[], ['check'], ['act'], ['postmortem'], ['lessons'], ['serve']]) {
      const text = runCli([...cmd, '--help']).stdout;
      // Flags of any shape stay in the flags column: never '--watch' with '--jsonl …' as its description.
      for (const l of text.split('\n').filter((x) => /^ {2}-/.test(x))) expect(l, cmd.join(' ')).toMatch(/^ {2}-\S(?:.*?\S)? {2,}(?!-)\S/);
      // Each block of option lines: every description starts in the same column.
      const blocks = text.split(/\n(?! {2}-| {6,})/).map((b) => b.split('\n').filter((l) => /^ {2}-/.test(l))).filter((b) => b.length > 1);
      expect(blocks.length, cmd.join(' ')).toBeGreaterThan(0);
      for (const b of blocks) {
        const cols = new Set(b.map((l) => /^ {2}-\S(?:.*?\S)? {2,}/.exec(l)![0].length));
        expect([...cols], `${cmd.join(' ')}: ${b.join(' | ')}`).toHaveLength(1);
      }
    }
    expect(runCli(['lessons', '--help']).stdout).not.toContain('--base-ref');
    expect(runCli(['lessons', '--help']).stdout).not.toContain('abort');
    expect(runCli(['check', '--help']).stdout).not.toContain('--repo');
    // act's first argument is the action, never the root.
    expect(runCli(['act', '--help']).stdout).not.toContain('first argument');
  });
});

describe('teamtop: the state root', () => {
  it('a missing root is one clear line and exit code 2', () => {
    const dir = tempDir();
    try {
      const r = runCli(['--root', join(dir, 'missing')]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(`teamtop: state root ${join(dir, 'missing')} does not exist`);
    } finally {
      removeDir(dir);
    }
  });

  it('an empty root is one clear line and exit code 2', () => {
    const dir = tempDir();
    try {
      const r = runCli([dir]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/holds no teams/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      removeDir(dir);
    }
  });

  it('uses $TEAMTOP_STATE when no root is given', () => {
    const dir = tempDir();
    try {
      const r = runCli([], { env: { TEAMTOP_STATE: join(dir, 'from-env') } });
      expect(r.stderr).toContain(join(dir, 'from-env'));
    } finally {
      removeDir(dir);
    }
  });
});
