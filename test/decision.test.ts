// What a confirmation agreed to (decisionOf): the re-check before applying compares it, so what it
// leaves out must be only measurements, never content the lead decided on.
import { describe, expect, it } from 'vitest';
import { sameDecision } from '../src/actions/plan.js';
import type { Effect, Plan } from '../src/ports/effects.js';

const plan = (effects: Effect[], extra: Partial<Plan> = {}): Plan => ({ action: 'resend', team: 't', args: {}, effects, touchesRepo: false, notes: [], ...extra });
const message = (type: string, payload: unknown, fields?: Record<string, unknown>): Effect =>
  ({ kind: 'append-message', message: { to: ['tm_a'], type, priority: 'high', payload, ...(fields ? { fields } : {}) } } as Effect);

describe('decisionOf', () => {
  it('a wake whose silence, progress and deadline moved on is the same decision', () => {
    const a = plan([message('wake_up', { text: 'no heartbeat for 20m; at 45%', silent_for_seconds: 1200, completion_percent: 45, deadline: 'x', last_action: 'a', task: 'T1' })]);
    const b = plan([message('wake_up', { text: 'no heartbeat for 21m; at 50%', silent_for_seconds: 1260, completion_percent: 50, deadline: 'y', last_action: 'b', task: 'T1' })]);
    expect(sameDecision(a, b)).toBe(true);
    // Another task named is another decision.
    expect(sameDecision(a, plan([message('wake_up', { text: '', task: 'T2' })]))).toBe(false);
  });

  it('a resend of other messages, or other texts, is another decision', () => {
    const one = plan([message('resend_batch', { text: 'Message 1 was not acknowledged', messages: [{ sequence: 1, payload: 'refactor X' }] }, { resending_sequences: [1] })]);
    const three = plan([message('resend_batch', { text: 'Message 3 was not acknowledged', messages: [{ sequence: 3, payload: 'drop the staging database' }] }, { resending_sequences: [3] })]);
    expect(sameDecision(one, three)).toBe(false);
    // Claude Code's resend carries the unread texts in its text alone.
    expect(sameDecision(plan([message('resend_batch', { text: '1) refactor X' })]), plan([message('resend_batch', { text: '1) drop the db' })]))).toBe(false);
  });

  it('a plan that completes another interrupted rollback is another decision', () => {
    const e: Effect[] = [{ kind: 'set-team-status', status: 'active' }];
    expect(sameDecision(plan(e, { carries: { started_at: 'a', backup_ref: 'r1' } }), plan(e, { carries: { started_at: 'a', backup_ref: 'r2' } }))).toBe(false);
  });
});
