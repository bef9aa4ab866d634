// An acknowledgement holds while the problem is the same: every alert of every demo team keeps its
// acknowledgement fingerprint as time passes and as unrelated things happen (another message, a
// newer sequence, a growing backlog), and loses it when its material facts or severity change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareDemo } from '../src/demo/prepare.js';
import { NativeSource } from '../src/sources/native/source.js';
import { ClaudeSource } from '../src/sources/claude/source.js';
import { detect } from '../src/alerts/index.js';
import { ackFingerprint } from '../src/alerts/acks.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { Alert } from '../src/alerts/types.js';
import type { StateSource } from '../src/sources/source.js';
import { removeDir, tempDir } from './helpers/state.js';

let demo: string;
let state: string;
const sources: StateSource[] = [];
beforeAll(async () => {
  demo = await prepareDemo();
  state = tempDir('teamtop-acks-state-');
});
afterAll(async () => {
  for (const s of sources) await s.close();
  removeDir(demo);
  removeDir(state);
});

async function teams(kind: 'native' | 'claude'): Promise<TeamSnapshot[]> {
  const s: StateSource = kind === 'native' ? new NativeSource(demo) : new ClaudeSource(join(demo, '.claude'), Date.now, {}, state);
  sources.push(s);
  await s.load();
  return s.getSnapshot().teams;
}

const byId = (alerts: Alert[]): Map<string, Alert> => new Map(alerts.map((a) => [a.id, a]));

/** Alerts present at both times with the same severity whose fingerprints differ. */
function moved(before: Alert[], after: Alert[]): string[] {
  const then = byId(before);
  return after.filter((a) => {
    const b = then.get(a.id);
    return b !== undefined && b.severity === a.severity && ackFingerprint(b) !== ackFingerprint(a);
  }).map((a) => `${a.id}: ${JSON.stringify(then.get(a.id)!.material)} → ${JSON.stringify(a.material)}`);
}

describe('acknowledgements', () => {
  it.each(['native', 'claude'] as const)('hold as time passes, for every alert of every %s demo team', async (kind) => {
    const now = Date.now();
    let compared = 0;
    for (const t of await teams(kind)) {
      const first = detect(t, now, DEFAULT_THRESHOLDS);
      for (const later of [60_000, 7 * 60_000, 25 * 60_000, 3 * 3600_000]) {
        const next = detect(t, now + later, DEFAULT_THRESHOLDS);
        expect(moved(first, next), `${t.id} after ${later / 60_000} min`).toEqual([]);
        compared += next.filter((a) => first.some((b) => b.id === a.id && b.severity === a.severity)).length;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('hold when unrelated messages arrive, and break when another message goes unanswered', async () => {
    const t0 = (await teams('native')).find((t) => t.id === 'beta-cycle')!;
    const now = Date.now();
    const before = detect(t0, now, DEFAULT_THRESHOLDS);
    const unacked = before.find((a) => a.kind === 'message-unacked');
    expect(unacked).toBeDefined();
    const recipient = unacked!.evidence.recipient as string;
    // The lead writes to someone else, and a teammate heartbeats: nothing about the backlog changed.
    const mailbox = join(demo, 'beta-cycle', 'mailbox.jsonl');
    const lines = readFileSync(mailbox, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { sequence: number });
    const next = Math.max(...lines.map((l) => l.sequence)) + 1;
    const other = t0.teammates.find((m) => m.id !== recipient)!.id;
    appendFileSync(mailbox, `${JSON.stringify({ sequence: next, timestamp: new Date(now).toISOString(), from: 'lead', to: other, type: 'message', payload: 'unrelated' })}\n`);
    const t1 = await reload('beta-cycle');
    const same = detect(t1, now + 60_000, DEFAULT_THRESHOLDS);
    expect(moved(before, same)).toEqual([]);
    expect(same.find((a) => a.kind === 'sequence-gap')).toBeDefined();
    // Another message to the same recipient times out unanswered: a new fact.
    appendFileSync(mailbox, `${JSON.stringify({ sequence: next + 1, timestamp: new Date(now - 10 * 60_000).toISOString(), from: 'lead', to: recipient, type: 'message', ack_required: true, payload: 'are you there?' })}\n`);
    const t2 = await reload('beta-cycle');
    const grown = detect(t2, now + 60_000, DEFAULT_THRESHOLDS).find((a) => a.kind === 'message-unacked' && a.evidence.recipient === recipient)!;
    expect(ackFingerprint(grown)).not.toBe(ackFingerprint(unacked!));
  });
});

async function reload(id: string): Promise<TeamSnapshot> {
  const s = new NativeSource(demo);
  sources.push(s);
  await s.load();
  return s.getSnapshot().teams.find((t) => t.id === id)!;
}
