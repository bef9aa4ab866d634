// `teamtop --demo --source omc` as a user runs it: the sample oh-my-claudecode team (built by the
// real package, demo-state/.omc-project) shows its cycle and its dead worker; an action without
// `omc` installed is refused with one line saying what to install, and nothing is written.
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { TmuxSession, hasTmux, cleanUpAfterEach } from './helpers/tmux.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

let session: TmuxSession | null = null;
cleanUpAfterEach(afterEach);

describe('npm run demo -- --source omc', () => {
  it('shows the cycle and the dead worker; wake without omc says what to install', async () => {
    session = new TmuxSession('omcdemo');
    session.start([process.execPath, BIN, '--demo', '--source', 'omc', '--no-bell'], 120, 40, { TEAMTOP_OMC: '/nonexistent/omc' });
    const screen = await session.waitFor((s) => s.includes('dependency cycle: 1 → 3 → 2 → 1'));
    expect(screen).toContain('cycle-team');
    expect(screen).toContain('CRIT teammate-dead    worker-2: no heartbeat for 1h3');
    expect(screen).toMatch(/worker-2 +active +1h30m/);
    session.keys('1', 'j', 'w');
    await session.waitFor((s) => s.includes('omc team api send-message to worker-2'));
    session.keys('y');
    const after = await session.waitFor((s) => s.includes('wake refused'));
    expect(after).toContain('the `omc` command is not on PATH: install oh-my-claudecode');
    expect(after).toContain('3 Mailbox (3)');
  });
});
