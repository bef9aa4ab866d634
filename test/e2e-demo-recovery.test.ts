// The demo runs every recovery action for real: its teams get scratch git repositories, so abort
// rolls one back and undo-abort brings it back byte for byte; quitting removes them.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './helpers/cli.js';
import { TmuxSession, hasTmux, cleanUpAfterEach } from './helpers/tmux.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

let session: TmuxSession | null = null;
cleanUpAfterEach(afterEach);

const git = (repo: string, ...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

describe('npm run demo', () => {
  it('aborts a team (its repository rolled back) and undoes the abort (everything back); quitting cleans up', async () => {
    session = new TmuxSession('demorecover');
    session.start([process.execPath, BIN, '--demo', '--static', '--team', 'gamma-healthy', '--no-bell'], 120, 40);
    await session.waitFor((s) => s.includes('1 Teammates') && s.includes('gamma-healthy'));
    session.type('A');
    await session.waitFor((s) => s.includes('Abort team gamma-healthy. Reason'));
    session.type('trying the demo');
    session.keys('Enter');
    const plan = await session.waitFor((s) => s.includes('Type the team id (gamma-healthy)'));
    const repo = /git \((\/[^)]+\.repos\/gamma-healthy)\)/.exec(plan.replace(/│\n│ ?/g, ''))?.[1];
    expect(repo).toBeDefined();
    const before = { head: git(repo!, 'rev-parse', 'HEAD'), status: git(repo!, 'status', '--porcelain'), feature: readFileSync(join(repo!, 'src', 'feature.txt'), 'utf8') };
    expect(before.status).toBe(' M src/feature.txt\n?? src/notes.txt'.trim());
    session.type('gamma-healthy');
    session.keys('Enter');
    await session.waitFor((s) => s.includes('abort: applied'));
    expect(git(repo!, 'status', '--porcelain')).toBe('');
    expect(git(repo!, 'rev-parse', 'HEAD')).toBe(git(repo!, 'rev-parse', 'main'));
    // Backups are named to the second: an undo in the abort's own second is refused ("try again in
    // a moment"), as it would be for a user that fast. Wait for the next second.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    session.type('U');
    await session.waitFor((s) => s.includes('undo-abort — this will:'));
    session.type('y');
    await session.waitFor((s) => s.includes('undo-abort: applied'));
    expect(git(repo!, 'rev-parse', 'HEAD')).toBe(before.head);
    expect(git(repo!, 'status', '--porcelain')).toBe(before.status);
    expect(readFileSync(join(repo!, 'src', 'feature.txt'), 'utf8')).toBe(before.feature);
    session.type('q');
    await session.waitFor((s) => /EXITED=\d+/.test(s));
    expect(existsSync(repo!)).toBe(false);
  }, 60_000);
});
