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

  it('rejects unknown options as a usage error', () => {
    const r = runCli(['--frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
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
