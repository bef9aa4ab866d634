import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NativeSource } from '../src/sources/native/source.js';
import { AlertEngine } from '../src/alerts/engine.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { ManualClock } from '../src/model/clock.js';
import { ringOnNewCritical } from '../src/cli/tui.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';

let root: string;
afterEach(() => removeDir(root));

describe('the bell', () => {
  it('rings once per new critical alert, not for those present at start', async () => {
    root = tempDir();
    const now = Date.parse('2026-02-28T15:00:00Z');
    const dir = writeTeam(root, 't', { teammates: [{ id: 'a', last_heartbeat: iso(now - 2 * 3600_000) }, { id: 'b', last_heartbeat: iso(now) }] });
    const clock = new ManualClock(now);
    const source = new NativeSource(root, () => clock.now());
    await source.load();
    const engine = new AlertEngine(source, clock, DEFAULT_THRESHOLDS);
    engine.start();
    const written: string[] = [];
    const told: string[] = [];
    const stop = ringOnNewCritical(engine, source, { write: (s: string) => { written.push(s); return true; } } as unknown as NodeJS.WriteStream, (t) => told.push(t));
    expect(written).toEqual([]);
    clock.advance(61 * 60_000); // b goes dead: a new critical alert
    expect(written).toEqual(['\u0007']);
    // Said too (inside tmux, on the status line of teamtop's session).
    expect(told).toEqual([expect.stringMatching(/^teamtop: CRIT t teammate-dead: b: no heartbeat for 1h01m \(dead\)$/)]);
    clock.advance(60_000); // nothing new
    writeFileSync(join(dir, 'teammates.json'), '[]');
    expect(written).toEqual(['\u0007']);
    stop();
    engine.stop();
    await source.close();
  });
});
