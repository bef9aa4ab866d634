// One failing detector never hides another's alerts: the engine reports each failure (which
// detector, the error) beside the alerts of the others, and the TUI shows it as an alert naming
// the detector. Failures are provoked two ways: a snapshot field that throws when read (a real
// exception inside the detectors that read it) and the test-only TEAMTOP_FAULT=detector:NAME.
import { afterEach, describe, expect, it } from 'vitest';
import { safeDetect } from '../src/alerts/engine.js';
import { detect, detectTeam, DetectorCache, DETECTORS, failureAlert } from '../src/alerts/index.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import { mountApp, type MountedApp } from './helpers/app.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';
import { team, teammate } from './helpers/model.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const th = DEFAULT_THRESHOLDS;

/** A team with a dead teammate, a full context and a dependency cycle, whose events throw when read. */
function poisoned(): TeamSnapshot {
  const t = team({
    teammates: [
      teammate({ id: 'tm_dead', lastHeartbeat: NOW - 5 * 3600_000 }),
      teammate({ id: 'tm_full', lastHeartbeat: NOW - 60_000, contextUsed: 99, contextMax: 100 }),
    ],
  });
  Object.defineProperty(t, 'events', { get() { throw new RangeError('Maximum call stack size exceeded'); } });
  return t;
}
// (consolidation-failure reads them only when every teammate reports done.)
const EVENT_READERS = ['hook-violation', 'stale-result', 'context-lost-after-compaction'];

describe('each detector runs on its own', () => {
  it('detectTeam: the detectors that threw are named with their error; every other alert is there', () => {
    const d = detectTeam(poisoned(), NOW, th);
    expect(d.failures.map((f) => f.detector).sort()).toEqual([...EVENT_READERS].sort());
    for (const f of d.failures) {
      expect(f.error).toBe('Maximum call stack size exceeded');
      expect(f.kinds).toEqual(DETECTORS.find((x) => x.name === f.detector)!.kinds);
    }
    expect(d.alerts.map((a) => a.kind).sort()).toEqual(['context-exhausted', 'teammate-dead']);
  });

  it('safeDetect and DetectorCache report the same, on every tick', () => {
    const t = poisoned();
    const cache = new DetectorCache();
    for (const now of [NOW, NOW + 1000, NOW + 60_000]) {
      const fresh = safeDetect(t, now, th);
      const cached = safeDetect(t, now, th, cache);
      expect(cached.alerts).toEqual(fresh.alerts);
      expect(cached.failures).toEqual(fresh.failures);
      expect(fresh.alerts.some((a) => a.kind === 'teammate-dead')).toBe(true);
      expect(fresh.failures).toHaveLength(EVENT_READERS.length);
    }
  });

  it('detect() and DetectorCache.detect() list each failure as an alert naming the detector', () => {
    const alerts = detect(poisoned(), NOW, th);
    expect(new DetectorCache().detect(poisoned(), NOW, th)).toEqual(alerts);
    expect(alerts.filter((a) => a.kind === 'teammate-dead')).toHaveLength(1);
    const failed = alerts.filter((a) => a.subject[0] === 'detector');
    expect(failed.map((a) => a.subject[1]).sort()).toEqual([...EVENT_READERS].sort());
    const one = failed.find((a) => a.subject[1] === 'hook-violation')!;
    expect(one).toMatchObject({ id: 'invalid-state:detector:hook-violation', kind: 'invalid-state', severity: 'high' });
    expect(one.summary).toBe('detector hook-violation failed: Maximum call stack size exceeded (its alerts, hook-violation, cannot be shown)');
    expect(one.evidence).toEqual({ detector: 'hook-violation', kinds: ['hook-violation'], error: 'Maximum call stack size exceeded' });
    expect(failureAlert({ detector: 'x', kinds: ['k'], error: 'e' }).id).toBe('invalid-state:detector:x');
  });

  it('a detector that throws something that is not an Error', () => {
    const t = team({ teammates: [teammate({ id: 'tm_dead', lastHeartbeat: NOW - 5 * 3600_000 })] });
    Object.defineProperty(t, 'tasks', { get() { throw 'a string'; } });
    const d = detectTeam(t, NOW, th);
    expect(d.failures.length).toBeGreaterThan(0);
    expect(d.failures.every((f) => f.error === 'a string')).toBe(true);
    expect(d.alerts.map((a) => a.kind)).toContain('teammate-dead');
  });

  it('TEAMTOP_FAULT=detector:NAME makes exactly the named detectors fail', () => {
    const prev = process.env.TEAMTOP_FAULT;
    try {
      const t = team({ teammates: [teammate({ id: 'tm_dead', lastHeartbeat: NOW - 5 * 3600_000, contextUsed: 99, contextMax: 100 })] });
      process.env.TEAMTOP_FAULT = 'detector:heartbeat';
      let d = detectTeam(t, NOW, th);
      expect(d.failures).toEqual([{ detector: 'heartbeat', kinds: ['teammate-idle', 'teammate-stale', 'teammate-dead'], error: 'injected fault (TEAMTOP_FAULT=detector:heartbeat)' }]);
      expect(d.alerts.map((a) => a.kind)).toEqual(['context-exhausted']);
      process.env.TEAMTOP_FAULT = 'detector:heartbeat,context';
      d = new DetectorCache().run(t, NOW, th);
      expect(d.failures.map((f) => f.detector)).toEqual(['heartbeat', 'context']);
      process.env.TEAMTOP_FAULT = 'render';
      expect(detectTeam(t, NOW, th).failures).toEqual([]);
    } finally {
      if (prev === undefined) delete process.env.TEAMTOP_FAULT;
      else process.env.TEAMTOP_FAULT = prev;
    }
  });
});

describe('the TUI shows a failed detector as an alert naming it', () => {
  let root: string;
  let app: MountedApp | null = null;
  const prev = process.env.TEAMTOP_FAULT;
  afterEach(async () => {
    await app?.unmount();
    app = null;
    removeDir(root);
    if (prev === undefined) delete process.env.TEAMTOP_FAULT;
    else process.env.TEAMTOP_FAULT = prev;
  });

  it('in the Alerts pane, beside the alerts of the other detectors', async () => {
    root = tempDir();
    writeTeam(root, 'alpha', {
      teammates: [
        { id: 'tm_dead', last_heartbeat: iso(NOW - 5 * 3600_000) },
        { id: 'tm_full', last_heartbeat: iso(NOW - 60_000), context_tokens_used: 99, context_tokens_max: 100 },
      ],
    });
    process.env.TEAMTOP_FAULT = 'detector:context';
    app = await mountApp(root, { now: NOW, thresholds: th, size: { columns: 140, rows: 30 } });
    const alerts = app.engine.getSnapshot().get('alpha')!;
    expect(alerts.map((a) => a.summary)).toContain('detector context failed: injected fault (TEAMTOP_FAULT=detector:context) (its alerts, context-exhausted, context-high, cannot be shown)');
    expect(alerts.map((a) => a.kind)).toContain('teammate-dead');
    const f = await app.d.waitFor((x) => x.includes('4 Alerts'));
    const pane = f.split('4 Alerts')[1]!;
    expect(pane).toMatch(/CRIT\s+teammate-dead\s+tm_dead/);
    expect(pane).toMatch(/HIGH\s+invalid-state\s+detector context failed/);
  });
});
