// An id with a hidden character (a zero-width space, a no-break space, a space at its end) is
// another id than the one it looks like: alert text names it as the panes' id cells do, with what
// is hidden in it shown (<U+200B>, ␠), never silently dropped by the terminal's sanitizing.
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/alerts/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { sanitize } from '../../src/safety/sanitize.js';
import { task, team, teammate } from '../helpers/model.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const MIN = 60_000;
/** What sanitizing would drop or change without showing it. */
const HIDDEN = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u00a0\u2028\u2029]|^ | $/u;

function hostileTeam(zw: (id: string) => string) {
  const api = zw('tm_api');
  const lead = zw('lead');
  return team({
    info: { status: 'active', createdAt: null, lead: { id: lead, lastHeartbeat: NOW - 60 * MIN, status: null, activitySignal: 'heartbeat' }, leadSessionId: null, repo: null, baseRef: null, extra: {} },
    teammates: [
      teammate({ id: api, lastHeartbeat: NOW - 40 * MIN, contextUsed: 195_000, contextMax: 200_000, taskCurrent: zw('T1') }),
      teammate({ id: 'tm_db', lastHeartbeat: NOW - MIN, taskCurrent: 'T4' }),
    ],
    tasks: [
      task({ id: zw('T1'), owner: api, status: 'in_progress', startedAt: NOW - 300 * MIN, updatedAt: NOW - 300 * MIN, expectedDurationMinutes: 30 }),
      task({ id: zw('T2'), status: 'pending', dependsOn: [zw('T3')] }),
      task({ id: zw('T3'), status: 'pending', dependsOn: [zw('T2'), zw('T9')] }),
      task({ id: 'T4', owner: 'tm_db', status: 'in_progress', startedAt: NOW - 5 * MIN, updatedAt: NOW - MIN }),
      task({ id: zw('T5'), owner: lead, status: 'in_progress', startedAt: NOW - 5 * MIN, updatedAt: NOW - MIN }),
    ],
    messages: [1, 2, 3, 4].map((s) => ({ sequence: s, timestamp: new Date(NOW - 10 * MIN + s).toISOString(), from: lead, to: api, type: 'message', ack_required: true })),
  });
}

describe('alert text shows what is hidden in the ids it names', () => {
  it.each([
    ['a zero-width space', (id: string) => `${id}\u200b`, '<U+200B>'],
    ['a no-break space', (id: string) => `${id}\u00a0x`, '<U+00A0>'],
    ['a space at the end', (id: string) => `${id} `, '\u2420'],
  ])('%s', (_name, zw, shown) => {
    const alerts = detect(hostileTeam(zw), NOW, DEFAULT_THRESHOLDS);
    const kinds = new Set(alerts.map((a) => a.kind));
    // The team really raises the alerts that name ids.
    for (const k of ['teammate-stale', 'context-exhausted', 'task-stuck', 'dependency-cycle', 'lead-offline', 'lead-implementing', 'message-unacked', 'ambiguous-done']) {
      expect(kinds, k).toContain(k);
    }
    for (const a of alerts) {
      // The unsafe-id alerts name the id as JSON, with the code point; a missing dependency names ids as the rest do.
      if (a.kind === 'invalid-state' && !a.subject.includes('missing-dependency')) continue;
      for (const text of [a.summary, a.workflow]) {
        expect(HIDDEN.test(text), `${a.kind}: ${JSON.stringify(text)}`).toBe(false);
        expect(sanitize(text), a.kind).toBe(text);
      }
      if (a.subject.some((s) => HIDDEN.test(s))) expect(a.summary, `${a.kind}: ${a.summary}`).toContain(shown);
    }
  });
});

describe('the questions and plans of actions name ids as id cells do', () => {
  it('abort\'s reason prompt, reassign\'s picker and break-cycle\'s choices', async () => {
    const { ACTIONS } = await import('../../src/actions/registry.js');
    const t = team({
      id: 'team👍🏽',
      teammates: ['tm👍🏽', 'tm👍', 'tm_x'].map((id) => teammate({ id, lastHeartbeat: NOW })),
      tasks: [task({ id: 'T1', owner: 'tm_x', status: 'in_progress' }), task({ id: 'A🇦🇧', dependsOn: ['B'] }), task({ id: 'B', dependsOn: ['A🇦🇧'] })],
    });
    const abort = ACTIONS.abort.ask!(t, {}, NOW) as { title: string };
    expect(abort.title).toContain('Abort team team👍<U+1F3FD>.');
    const pick = ACTIONS.reassign.ask!(t, { target: 'T1' }, NOW) as { title: string; options: Array<{ label: string }> };
    expect(pick.options.map((o) => o.label.split(' ')[0]).sort()).toEqual(['tm👍', 'tm👍<U+1F3FD>']);
    const edges = ACTIONS['break-cycle'].ask!(t, {}, NOW) as { title: string; options: Array<{ label: string }> };
    expect(edges.title).toContain('A<U+1F1E6><U+1F1E7>');
    expect(edges.options.some((o) => o.label.startsWith('A<U+1F1E6><U+1F1E7> stops waiting on B'))).toBe(true);
  });
});

