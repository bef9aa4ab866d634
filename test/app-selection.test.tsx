// The selection follows the item, not the row number: when an alert appears above the selected one
// (an acknowledged alert coming back, a new one), ▸ stays on the same alert, so the next action
// acts on what the user chose.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mountApp, type MountedApp } from './helpers/app.js';
import { removeDir, tempDir, writeTeam, iso } from './helpers/state.js';
import { movedItem, seenNow } from '../src/tui/selection.js';
import type { PaneLists } from '../src/tui/derive.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
let root: string;
let app: MountedApp;

beforeEach(async () => {
  root = tempDir('teamtop-sel-');
  writeTeam(root, 'crew', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW) } },
    teammates: [
      { id: 'tm_a', last_heartbeat: iso(NOW - 15 * 60_000) },
      { id: 'tm_b', last_heartbeat: iso(NOW - 12 * 60_000) },
    ],
    manifest: [],
    mailbox: [],
  });
  app = await mountApp(root, { now: NOW, initialTeam: 'crew' });
});
afterEach(async () => {
  await app.unmount();
  removeDir(root);
});

describe('the selection', () => {
  it('stays on the selected alert when another appears above it', async () => {
    const { d } = app;
    await d.press('4', (f) => /▸HIGH\s+teammate-idle\s+tm_a/.test(f));
    await d.press('j', (f) => /▸HIGH\s+teammate-idle\s+tm_b/.test(f));
    // tm_a is now dead-silent for 2 h: a critical alert sorts above both.
    writeFileSync(join(root, 'crew', 'teammates.json'), JSON.stringify({ teammates: [
      { id: 'tm_a', last_heartbeat: iso(NOW - 15 * 60_000) },
      { id: 'tm_b', last_heartbeat: iso(NOW - 12 * 60_000) },
      { id: 'tm_c', last_heartbeat: iso(NOW - 120 * 60_000) },
    ] }));
    await app.source.refresh('crew');
    const f = await d.waitFor((x) => x.includes('teammate-dead'));
    expect(f).toMatch(/▸HIGH\s+teammate-idle\s+tm_b/);
  });

  it('is looked up by key only when the list changed under an unmoved selection', () => {
    const a = { id: 'x' }; const b = { id: 'y' }; const c = { id: 'z' };
    const lists = (alerts: object[]): PaneLists => ({ teammates: [], tasks: [], mailbox: [], alerts }) as unknown as PaneLists;
    const before = seenNow('alerts', 'crew', lists([a, b]), 1);
    expect(movedItem('alerts', before, 'crew', lists([c, a, b]), 1)).toBe(2);
    // The user moved: no lookup. Another team: none either. The item is gone: keep the row.
    expect(movedItem('alerts', before, 'crew', lists([c, a, b]), 0)).toBeNull();
    expect(movedItem('alerts', before, 'other', lists([c, a, b]), 1)).toBeNull();
    expect(movedItem('alerts', before, 'crew', lists([c, a]), 1)).toBeNull();
  });
});
