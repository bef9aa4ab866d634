// Model objects for detector tests, with every field defaulted.
import type { Task, Teammate, Message } from '../../src/model/types.js';
import type { TeamSnapshot } from '../../src/model/snapshot.js';
import { emptyAggregates } from '../../src/model/types.js';
import { MailboxAggregator } from '../../src/model/mailbox-aggregator.js';
import { messageSchema, normalizeMessage } from '../../src/model/schemas.js';
import { NATIVE_FORMAT } from '../../src/sources/native/format.js';

export function teammate(t: Partial<Teammate> & { id: string }): Teammate {
  return {
    name: null, role: null, status: 'active', lastHeartbeat: null, activitySignal: 'heartbeat', contextUsed: null, contextMax: null,
    taskCurrent: null, taskStartedAt: null, completionPercent: null, messagesPending: null, pendingHistory: [], lastMessageSeq: null,
    extra: {}, ...t,
  };
}

export function task(t: Partial<Task> & { id: string }): Task {
  return {
    name: null, owner: null, status: 'pending', dependsOn: [], blocks: [], sequence: null, createdAt: null, startedAt: null,
    updatedAt: null, completedAt: null, expectedDurationMinutes: null, completionPercent: null, blockingFactor: null,
    deliverables: null, description: null, extra: {}, ...t,
  };
}

export function message(r: Record<string, unknown>): Message {
  return normalizeMessage(messageSchema.parse(r), 0);
}

export function team(t: Partial<TeamSnapshot> & { messages?: Record<string, unknown>[] } = {}): TeamSnapshot {
  const { messages, ...rest } = t;
  let mailbox = { aggregates: emptyAggregates(), recent: [] as Message[], recentStart: 0, indexing: false };
  if (messages) {
    const agg = new MailboxAggregator();
    const recent = messages.map(message);
    for (const m of recent) agg.add(m);
    mailbox = { aggregates: agg.snapshot(), recent, recentStart: 0, indexing: false };
  }
  return {
    id: 'team', source: 'native', dir: '/tmp/team',
    info: { status: 'active', createdAt: null, lead: { id: 'lead', lastHeartbeat: null, status: null, activitySignal: null }, leadSessionId: null, repo: null, baseRef: null, extra: {} },
    teammates: [], tasks: [], mailbox, events: [], checkpoints: new Map(), errors: [], format: NATIVE_FORMAT, capabilities: NATIVE_FORMAT.capabilities, acks: new Map(), rollback: null, version: 1,
    ...rest,
  };
}
