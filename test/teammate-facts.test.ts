// The Teammates pane agrees with the state and the alerts: a reassigned task leaves its old owner's
// TASK, and PEND counts the unanswered messages message-unacked counts.
import { describe, expect, it } from 'vitest';
import { team, teammate, task } from './helpers/model.js';
import { teammateCells } from '../src/tui/panes.js';
import { teammateDetail } from '../src/tui/details.js';
import { currentTaskOf, unansweredTo } from '../src/model/teammate-facts.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const text = (c: unknown): string => (typeof c === 'string' ? c : (c as { text: string }).text);

describe('teammate facts', () => {
  const t = team({
    teammates: [
      teammate({ id: 'tm_a', taskCurrent: 'T1', messagesPending: 1, lastHeartbeat: NOW }),
      teammate({ id: 'tm_b', taskCurrent: null, lastHeartbeat: NOW }),
      teammate({ id: 'tm_c', taskCurrent: 'T9', lastHeartbeat: NOW }),
    ],
    // T1 was reassigned from tm_a to tm_b; T9 is not in the task list.
    tasks: [task({ id: 'T1', owner: 'tm_b', status: 'in_progress' }), task({ id: 'T2', owner: 'tm_a', status: 'pending' })],
    messages: [1, 2, 3].map((n) => ({ sequence: n, timestamp: iso(NOW - n * 60_000), from: 'lead', to: 'tm_a', type: 'message', ack_required: true, payload: `#${n}` })),
  });
  const [a, b, c] = t.teammates as [never, never, never];

  it('a reassigned task leaves its old owner and shows with its new one', () => {
    expect(currentTaskOf(t, a)).toBeNull();
    expect(currentTaskOf(t, b)).toBe('T1');
    expect(currentTaskOf(t, c)).toBe('T9');
    expect(text(teammateCells(a, t, NOW, DEFAULT_THRESHOLDS).task)).toBe('');
    expect(text(teammateCells(b, t, NOW, DEFAULT_THRESHOLDS).task)).toBe('T1');
  });

  it('PEND and the detail count the unanswered messages, whatever the teammate reports', () => {
    expect(unansweredTo(t, a)).toBe(3);
    expect(teammateCells(a, t, NOW, DEFAULT_THRESHOLDS).pend).toBe('3');
    expect(teammateCells(b, t, NOW, DEFAULT_THRESHOLDS).pend).toBe('0');
    const d = teammateDetail(a, t, NOW).map((l) => l.text).join('\n');
    expect(d).toContain('messages unanswered: 3');
    expect(d).toContain('pending by its own count: 1');
    expect(d).toContain('task it reports: T1 (no longer its own)');
  });
});

describe('reassign candidates', () => {
  it('best first: alive, room in context, few open tasks; a poor choice says why', async () => {
    const { reassignCandidates } = await import('../src/actions/candidates.js');
    const t = team({
      teammates: [
        teammate({ id: 'owner', lastHeartbeat: NOW }),
        teammate({ id: 'stale', lastHeartbeat: NOW - 45 * 60_000 }),
        teammate({ id: 'full', lastHeartbeat: NOW - 60_000, contextUsed: 190_000, contextMax: 200_000 }),
        teammate({ id: 'busy', lastHeartbeat: NOW - 60_000, contextUsed: 20_000, contextMax: 200_000 }),
        teammate({ id: 'free', lastHeartbeat: NOW - 120_000, contextUsed: 40_000, contextMax: 200_000 }),
      ],
      tasks: [task({ id: 'X', owner: 'owner', status: 'in_progress' }), task({ id: 'Y', owner: 'busy', status: 'in_progress' }), task({ id: 'Z', owner: 'busy', status: 'pending' })],
    });
    const c = reassignCandidates(t, 'X', NOW);
    expect(c.map((x) => x.id)).toEqual(['free', 'busy', 'full', 'stale']);
    expect(c[0]!.label).toBe('free — heard 2m ago · context 20% · 0 open tasks');
    expect(c.find((x) => x.id === 'full')!.warnings).toEqual(['context 95%']);
    expect(c.find((x) => x.id === 'stale')!.label).toMatch(/⚠ stale \(45m\)/);
  });
});

describe('the task a teammate works on', () => {
  it('a task finished by the lead leaves its owner; a second task handed over shows as +1', () => {
    const t = team({
      teammates: [teammate({ id: 'a', taskCurrent: 'S4' }), teammate({ id: 'b', taskCurrent: 'S1' })],
      tasks: [task({ id: 'S4', owner: 'a', status: 'completed' }), task({ id: 'S1', owner: 'b', status: 'in_progress' }), task({ id: 'S2', owner: 'b', status: 'in_progress' })],
    });
    expect(currentTaskOf(t, t.teammates[0]!)).toBeNull();
    expect(currentTaskOf(t, t.teammates[1]!)).toBe('S1 (+1)');
  });
});
