import { describe, expect, it } from 'vitest';
import { hookViolation } from '../../src/alerts/detectors/hook-violation.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { team } from '../helpers/model.js';
import type { TeamEvent } from '../../src/model/types.js';

const T0 = Date.parse('2026-02-28T14:50:30Z');
const NOW = T0 + 5 * 60_000;
const ev = (type: string, data: Record<string, unknown>, timestamp: number | null = T0): TeamEvent => ({ timestamp, type, line: 0, data });
const run = (events: TeamEvent[]) => hookViolation({
  team: team({ events: events.map((e, i) => ({ ...e, line: i + 1 })) }), now: NOW, thresholds: DEFAULT_THRESHOLDS,
});

const FILE = 'src/main/java/org/yawl/engine/YWorkItemImpl.java';
const violation = (extra: Record<string, unknown> = {}) => ev('hook_violation', {
  violation_id: 'H_STUB_20260228_145030', pattern: 'H_STUB', file: FILE, line: 426,
  teammate: 'tm_impl', commit: '3f5e8a1b2c4d', content: 'return null;', ...extra,
});

describe('hook-violation', () => {
  it('an unfixed violation is critical, names the teammate and the violation', () => {
    const [a, ...rest] = run([violation()]);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      id: 'hook-violation:tm_impl:H_STUB_20260228_145030', kind: 'hook-violation', severity: 'critical',
      subject: ['tm_impl', 'H_STUB_20260228_145030'], since: T0, actions: ['wake', 'reassign'],
      summary: `H_STUB at ${FILE}:426 by tm_impl (commit 3f5e8a1)`,
    });
    expect(a!.evidence).toEqual({
      pattern: 'H_STUB', file: FILE, line: 426, teammate: 'tm_impl', commit: '3f5e8a1b2c4d', content: 'return null;',
      violation_id: 'H_STUB_20260228_145030',
    });
    expect(a!.workflow).toMatch(/10 min/);
    expect(a!.workflow).toContain('(R)');
  });
  it('a hook_fixed with the same violation_id after it fixes it', () => {
    expect(run([violation(), ev('hook_fixed', { violation_id: 'H_STUB_20260228_145030', teammate: 'tm_impl' }, T0 + 1)])).toEqual([]);
  });
  it('a hook_fixed that comes before the violation does not fix it', () => {
    const alerts = run([ev('hook_fixed', { violation_id: 'H_STUB_20260228_145030' }, T0 - 1), violation()]);
    expect(alerts.map((a) => a.subject)).toEqual([['tm_impl', 'H_STUB_20260228_145030']]);
  });
  it('a hook_fixed with another violation_id does not fix it, even for the same file', () => {
    expect(run([violation(), ev('hook_fixed', { violation_id: 'H_MOCK_1', file: FILE, pattern: 'H_STUB' })])).toHaveLength(1);
  });
  it('a hook_fixed by file and pattern fixes it', () => {
    expect(run([violation(), ev('hook_fixed', { file: FILE, pattern: 'H_STUB' })])).toEqual([]);
  });
  it('a hook_fixed by file alone fixes every violation in that file', () => {
    expect(run([violation(), violation({ violation_id: 'v2', pattern: 'H_MOCK' }), ev('hook_fixed', { file: FILE })])).toEqual([]);
  });
  it('a hook_fixed for another pattern or another file does not fix it', () => {
    expect(run([violation(), ev('hook_fixed', { file: FILE, pattern: 'H_MOCK' })])).toHaveLength(1);
    expect(run([violation(), ev('hook_fixed', { file: 'src/Other.java', pattern: 'H_STUB' })])).toHaveLength(1);
  });
  it('without a violation_id the subject is file:line', () => {
    const [a] = run([violation({ violation_id: undefined })]);
    expect(a!.subject).toEqual(['tm_impl', `${FILE}:426`]);
    expect(a!.evidence).not.toHaveProperty('violation_id');
  });
  it('only the unfixed one of two violations alerts', () => {
    const alerts = run([violation(), violation({ violation_id: 'v2', file: 'src/B.java', line: 7 }), ev('hook_fixed', { violation_id: 'v2' })]);
    expect(alerts.map((a) => a.subject)).toEqual([['tm_impl', 'H_STUB_20260228_145030']]);
  });
  it('fields of the wrong type are ignored', () => {
    const [a] = run([ev('hook_violation', { violation_id: 7, pattern: 'H_TODO', file: 'src/A.java', line: 3, teammate: 42, commit: ['x'] })]);
    expect(a).toMatchObject({ subject: ['src/A.java:3'], summary: 'H_TODO at src/A.java:3' });
    expect(a!.evidence).toEqual({ pattern: 'H_TODO', file: 'src/A.java', line: 3 });
  });
  it('the same violation reported twice is one alert, from its first report', () => {
    const alerts = run([violation(), violation({}), ev('build', { result: 'failure' })]);
    expect(alerts).toHaveLength(1);
  });
  it('no violations, no alert', () => {
    expect(run([])).toEqual([]);
    expect(run([ev('build', { result: 'failure' })])).toEqual([]);
  });
});
