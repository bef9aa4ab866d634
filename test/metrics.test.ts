// The exporter's metrics (src/metrics/exposition.ts) and `check --format openmetrics`: what they
// say of a team, read back by promtool (Prometheus's own parser) and by a strict reading of the
// grammar; hostile ids cannot add a line or a label; a cleared alert reads 0.
import { describe, expect, it } from 'vitest';
import { label, TeamtopMetrics } from '../src/metrics/exposition.js';
import { makeAlert } from '../src/alerts/types.js';
import { team, teammate, task } from './helpers/model.js';
import { promtoolCheckMetrics, requirePrometheus, samples } from './helpers/prometheus.js';
import { runCli } from './helpers/cli.js';

requirePrometheus();

const NOW = Date.parse('2026-11-30T12:00:00Z');
const alert = (kind: string, subject: string[], severity: 'critical' | 'high' = 'critical') =>
  makeAlert({ kind, severity, subject, summary: kind, evidence: {}, since: null, workflow: '' });

describe('teamtop metrics', () => {
  it('say each team\'s alerts, teammates, tasks and info; promtool accepts them', async () => {
    const m = new TeamtopMetrics(true);
    const t = team({
      id: 'perf',
      teammates: [teammate({ id: 'tm_a', lastHeartbeat: NOW - 90_000, contextUsed: 150_000, contextMax: 200_000 }), teammate({ id: 'tm_b', lastHeartbeat: null })],
      tasks: [task({ id: 'T1', status: 'in_progress' }), task({ id: 'T2', status: 'pending' }), task({ id: 'T3', status: 'pending' })],
    });
    m.update([{ team: t, alerts: [alert('dependency-cycle', ['T1', 'T2']), alert('teammate-dead', ['tm_b']), alert('teammate-dead', ['tm_c'])], failures: [] }], NOW);
    const text = await m.text();
    expect(promtoolCheckMetrics(text).status).toBe(0);
    expect(text.endsWith('# EOF\n')).toBe(true);
    const s = samples(text);
    const one = (name: string, labels: Record<string, string>) => s.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;
    expect(one('teamtop_alerts', { team: 'perf', kind: 'dependency-cycle', severity: 'critical' })).toBe(1);
    expect(one('teamtop_alerts', { team: 'perf', kind: 'teammate-dead' })).toBe(2);
    expect(one('teamtop_teammate_heartbeat_age_seconds', { teammate: 'tm_a' })).toBe(90);
    expect(one('teamtop_teammate_heartbeat_age_seconds', { teammate: 'tm_b' })).toBeUndefined();
    expect(one('teamtop_teammate_context_ratio', { teammate: 'tm_a' })).toBe(0.75);
    expect(one('teamtop_tasks', { status: 'pending' })).toBe(2);
    expect(one('teamtop_tasks', { status: 'in_progress' })).toBe(1);
    expect(one('teamtop_team_info', { team: 'perf', source: 'native', status: 'active' })).toBe(1);
    expect(one('teamtop_last_refresh_timestamp_seconds', {})).toBe(NOW / 1000);
  });

  it('a cleared alert reads 0; a teammate that left is gone', async () => {
    const m = new TeamtopMetrics(true);
    const t = team({ id: 'perf', teammates: [teammate({ id: 'tm_a', lastHeartbeat: NOW })] });
    m.update([{ team: t, alerts: [alert('dependency-cycle', ['T1', 'T2'])], failures: [] }], NOW);
    m.update([{ team: { ...t, teammates: [] }, alerts: [], failures: [] }], NOW + 1000);
    const s = samples(await m.text());
    expect(s.find((x) => x.name === 'teamtop_alerts')).toMatchObject({ labels: { kind: 'dependency-cycle' }, value: 0 });
    expect(s.some((x) => x.name === 'teamtop_teammate_heartbeat_age_seconds')).toBe(false);
  });

  it('ids that differ only in control characters or after 200 characters stay apart', () => {
    expect(label('beta\u001b')).not.toBe(label('beta\u202e'));
    expect(label('beta\u001b')).not.toBe(label('beta'));
    expect(label('x'.repeat(300))).not.toBe(label('x'.repeat(250)));
    expect(label('x'.repeat(300)).length).toBeLessThanOrEqual(200);
  });

  it('hostile ids add no line and no label', async () => {
    const evil = ['x"} 1\nteamtop_injected{a="b', 'y\\"}\r\nteamtop_injected 1', '\u001b[31mred\u001b[0m\u0085z', 'a,b="c"'];
    const m = new TeamtopMetrics(true);
    const t = team({ id: evil[0]!, teammates: evil.map((id) => teammate({ id, lastHeartbeat: NOW })) });
    m.update([{ team: t, alerts: [alert(evil[3]!, ['s'])], failures: [{ detector: evil[1]!, kinds: [], error: 'x' }] }], NOW);
    const text = await m.text();
    expect(promtoolCheckMetrics(text)).toMatchObject({ status: 0 });
    const s = samples(text);
    expect(s.some((x) => x.name.includes('injected'))).toBe(false);
    const ages = s.filter((x) => x.name === 'teamtop_teammate_heartbeat_age_seconds');
    expect(ages).toHaveLength(4);
    for (const a of ages) expect(Object.keys(a.labels).sort()).toEqual(['team', 'teammate']);
    expect(ages.map((a) => a.labels.teammate)).toContain('␛[31mred␛[0m\\x85z');
    for (const x of s) for (const v of Object.values(x.labels)) expect(v).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('teamtop check --format openmetrics', () => {
  it('prints what promtool accepts, with check\'s exit code', () => {
    const r = runCli(['check', '--demo', '--format', 'openmetrics']);
    expect(r.status).toBe(1);
    expect(promtoolCheckMetrics(r.stdout).status).toBe(0);
    const s = samples(r.stdout);
    expect(s.find((x) => x.name === 'teamtop_alerts' && x.labels.team === 'beta-cycle' && x.labels.kind === 'dependency-cycle')?.value).toBe(1);
    expect(s.find((x) => x.name === 'teamtop_team_info' && x.labels.team === 'gamma-healthy')?.value).toBe(1);
  });

  it('refuses an unknown format and --json with another format', () => {
    expect(runCli(['check', '--demo', '--format', 'xml']).stderr).toContain('--format is text, json or openmetrics');
    expect(runCli(['check', '--demo', '--json', '--format', 'openmetrics']).status).toBe(2);
  });
});
