// Where a report's parent directories come from: under teamtop's own state directory they are
// teamtop's to make (the demo's post-mortems go to $XDG_STATE_HOME/teamtop/demo-reports/, and
// $XDG_STATE_HOME may exist without teamtop/ in it); anywhere else nothing above the reports
// directory is created (a state root or team directory that is gone is never made again).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { teamtopStateDir } from '../src/files/state-dir.js';
import { writePostmortem } from '../src/report/postmortem.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { NativeSource } from '../src/sources/native/source.js';
import { mountApp, type MountedApp } from './helpers/app.js';
import { iso, removeDir, tempDir, writeTeam } from './helpers/state.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
let root: string;
let xdg: string;
let savedXdg: string | undefined;
let app: MountedApp | null = null;

beforeEach(() => {
  root = tempDir();
  writeTeam(root, 'ops', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW) } },
    teammates: [{ id: 'tm_x', last_heartbeat: iso(NOW) }],
  });
  // There, and empty: no teamtop/ in it yet.
  xdg = tempDir('teamtop-xdg-');
  savedXdg = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = xdg;
});
afterEach(async () => {
  await app?.unmount();
  app = null;
  process.env.XDG_STATE_HOME = savedXdg;
  removeDir(root);
  removeDir(xdg);
});

describe('a report\'s parent directories', () => {
  it('P in the demo writes to $XDG_STATE_HOME/teamtop/demo-reports/ when teamtop/ is not there yet', async () => {
    // As `teamtop --demo` passes it (src/cli/tui.ts).
    const reports = join(teamtopStateDir(process.env), 'demo-reports');
    app = await mountApp(root, { now: NOW, reportsDir: reports });
    const f = await app.d.press('P', (x) => x.includes('post-mortem written to') || x.includes('post-mortem failed'));
    expect(f).toContain('post-mortem written to');
    expect(readdirSync(reports)).toEqual([expect.stringMatching(/^postmortem-\d{8}-ops$/)]);
    expect(statSync(join(xdg, 'teamtop')).mode & 0o777).toBe(0o700);
  });

  it('anywhere else, nothing above the reports directory is made: a state root that is gone stays gone', async () => {
    const source = new NativeSource(root);
    await source.load();
    const team = source.getSnapshot().teams[0]!;
    await source.close();
    const gone = join(root, 'gone');
    await expect(writePostmortem({ team, stateRoot: root, thresholds: DEFAULT_THRESHOLDS, now: NOW, out: { under: join(gone, 'reports') } })).rejects.toThrow(/ENOENT/);
    expect(existsSync(gone)).toBe(false);
  });
});
