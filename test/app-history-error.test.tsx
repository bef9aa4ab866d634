// When the team's history cannot be read, the timeline and the alert detail say why instead of
// showing "building…" forever. (The read is made to fail here: on a real disk the action log's
// reader turns every expected failure into an empty log, so this is the defence behind it.)
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountApp, type MountedApp } from './helpers/app.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';

vi.mock('../src/report/actions-log.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/report/actions-log.js')>();
  return { ...real, readActions: () => Promise.reject(new Error('EIO: i/o error, read \u001b[31m(disk)')) };
});

const NOW = Date.parse('2026-02-28T15:00:00Z');
let root: string;
let app: MountedApp | null = null;

beforeEach(() => {
  root = tempDir('teamtop-hist-err-');
  writeTeam(root, 'ops', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW) } },
    teammates: [{ id: 'tm_x', last_heartbeat: iso(NOW - 3 * 3600_000) }],
    mailbox: [{ sequence: 1, timestamp: iso(NOW - 600_000), from: 'lead', to: 'tm_x', type: 'message', payload: 'hello' }],
  });
});
afterEach(async () => {
  await app?.unmount();
  app = null;
  removeDir(root);
});

describe('a history that cannot be read', () => {
  it('the timeline and the alert detail say so (sanitized), and keys keep working', async () => {
    app = await mountApp(root, { now: NOW, size: { columns: 140, rows: 40 } });
    const d = app.d;
    const f = await d.press('t', (x) => x.includes('the timeline could not be built: EIO: i/o error'));
    expect(f).not.toContain('\u001b[31m');
    expect(f).not.toContain('building the timeline');
    await d.press('\u001b', (x) => x.includes('1 Teammates'));
    await d.press('4', (x) => x.includes('Alerts'));
    const detail = await d.press('\r', (x) => x.includes('Time to recover: the history could not be read: EIO'));
    expect(detail).not.toContain('reading the history');
  });
});
