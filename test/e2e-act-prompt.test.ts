// `teamtop act` on a terminal: abort asks for the team id, and what it applies is planned again
// after the answer — a team that changed while the question waited is refused, not acted on with
// the plan from before.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, PROJECT } from './helpers/cli.js';
import { TmuxSession, hasTmux, cleanUpAfterEach } from './helpers/tmux.js';
import { tempDir } from './helpers/state.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

let session: TmuxSession | null = null;
let root: string | null = null;
cleanUpAfterEach(afterEach, () => [root]);

function sample(): string {
  const base = tempDir('teamtop-actprompt-');
  cpSync(join(PROJECT, 'demo-state'), join(base, 'state'), { recursive: true });
  root = base;
  return join(base, 'state');
}

/** `act abort` on alpha-silent in a tmux pane, up to its question; the screen then. */
async function askAbort(state: string, tag: string): Promise<string> {
  session = new TmuxSession(tag);
  session.start([process.execPath, BIN, 'act', 'abort', '--team', 'alpha-silent', '--root', state, '--reason', 'stop'], 100, 30);
  return session.waitFor((s) => s.includes('type the team id (alpha-silent) to abort:'));
}

const status = (dir: string): unknown => JSON.parse(readFileSync(join(dir, 'alpha-silent', 'team.json'), 'utf8')).team_status;

describe('act asks on a terminal', () => {
  it('abort waits for the team id and applies the plan made after the answer', async () => {
    const state = sample();
    const asked = await askAbort(state, 'actprompt1');
    expect(status(state)).toBe('active');
    expect(asked).not.toContain('dry run');
    // What it will write, by name: written under that name however long the answer takes.
    const record = /abort-\d{8}T\d{6}Z\.json/.exec(asked)![0];
    await new Promise((r) => setTimeout(r, 1100));
    session.type('alpha-silent');
    session.keys('Enter');
    const done = await session.waitFor((s) => /EXITED=\d+/.test(s));
    expect(done).toContain('EXITED=0');
    expect(status(state)).toBe('aborted');
    expect(existsSync(join(state, 'alpha-silent', record))).toBe(true);
  });

  it('a team that changed while the question waited is refused with the reason, and nothing is written', async () => {
    const state = sample();
    await askAbort(state, 'actprompt2');
    // Someone else aborts it first (or anything that changes what the abort would do).
    const file = join(state, 'alpha-silent', 'team.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), team_status: 'aborted' }));
    const mailbox = readFileSync(join(state, 'alpha-silent', 'mailbox.jsonl'), 'utf8');
    session.type('alpha-silent');
    session.keys('Enter');
    const done = await session.waitFor((s) => /EXITED=\d+/.test(s));
    expect(done).toContain('EXITED=1');
    expect(done.replace(/\s+/g, ' ')).toContain('the team changed while the question waited');
    expect(readFileSync(join(state, 'alpha-silent', 'mailbox.jsonl'), 'utf8')).toBe(mailbox);
  });

  it('a repository that cannot be used any more when the answer comes is a refusal with the reason, not a crash', async () => {
    const state = sample();
    await askAbort(state, 'actprompt3');
    // team.json now names a directory that is not a git work tree.
    const file = join(state, 'alpha-silent', 'team.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), repo: join(root!, 'not-a-repo') }));
    session.type('alpha-silent');
    session.keys('Enter');
    const done = await session.waitFor((s) => /EXITED=\d+/.test(s));
    expect(done).toContain('EXITED=1');
    expect(done).not.toContain('internal error');
    expect(done.replace(/\s+/g, ' ')).toContain('the team changed while the question waited');
    expect(status(state)).toBe('active');
  });
});
