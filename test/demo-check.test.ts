// `teamtop check --json` on the bundled demo: each team reports exactly the scenarios it was built
// to show (demo-state/README.md), and the healthy team nothing high or critical.
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const INTENDED: Record<string, string[]> = {
  'alpha-silent': ['context-exhausted', 'teammate-dead', 'teammate-idle', 'teammate-stale'],
  'beta-cycle': ['deadlock', 'dependency-cycle', 'message-unacked', 'sequence-gap'],
  'delta-consolidation': ['consolidation-failure', 'hook-violation', 'lead-offline'],
  'gamma-healthy': [],
};

describe('check on demo-state', () => {
  it.each([['shifted to now (--demo)', ['check', '--demo', '--json']], ['at the moment it was written for (--at)', ['check', 'demo-state', '--at', '2026-02-28T15:00:00Z', '--json']]])('%s', (_name, args) => {
    const r = runCli(args);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { teams: Array<{ team_id: string; alerts: Array<{ kind: string; severity: string }> }> };
    const got = Object.fromEntries(j.teams.map((t) => [t.team_id, [...new Set(t.alerts.map((a) => a.kind))].sort()]));
    expect(got).toEqual(INTENDED);
    expect(j.teams.find((t) => t.team_id === 'gamma-healthy')!.alerts.filter((a) => a.severity === 'high' || a.severity === 'critical')).toEqual([]);
  });
});
