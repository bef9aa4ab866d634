// Generated fixtures for the bench: a large team on disk.
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A large team: `teammates` teammates, `tasks` tasks with `edges` dependencies (mostly a DAG, a few
 * cycles), and a mailbox of `messages` lines where most questions are acknowledged.
 */
export async function writeLargeTeam(dir, { teammates = 1000, tasks = 10_000, edges = 30_000, messages = 100_000, now = Date.now() } = {}) {
  const r = rng(42);
  mkdirSync(dir, { recursive: true });
  const iso = (ms) => new Date(ms).toISOString();
  const tms = Array.from({ length: teammates }, (_, i) => ({
    id: `tm_${i}`, name: `Teammate ${i}`, status: 'active',
    last_heartbeat: iso(now - Math.floor(r() * 90 * 60_000)),
    context_tokens_used: Math.floor(r() * 200_000), context_tokens_max: 200_000,
    task_current: `task ${i}`, messages_pending: Math.floor(r() * 7),
  }));
  writeFileSync(join(dir, 'teammates.json'), JSON.stringify(tms));
  const statuses = ['pending', 'in_progress', 'blocked', 'completed', 'on_hold'];
  const list = Array.from({ length: tasks }, (_, i) => ({
    id: `T${i}`, name: `Task ${i}`, assigned_to: `tm_${i % teammates}`, status: statuses[Math.floor(r() * statuses.length)],
    depends_on: [], updated_at: iso(now - Math.floor(r() * 4 * 3600_000)),
    deliverables: r() < 0.5 ? [{ text: 'done', done: r() < 0.5 }] : undefined,
  }));
  let made = 0;
  while (made < edges - 20) {
    const i = 1 + Math.floor(r() * (tasks - 1));
    const j = Math.floor(r() * i);
    const deps = list[i].depends_on;
    if (!deps.includes(`T${j}`)) { deps.push(`T${j}`); made++; }
  }
  // A few cycles: back edges from a low task to a higher one that (transitively) depends on it.
  for (let k = 0; k < 20; k++) {
    const hi = 100 + k * 400;
    const lo = list[hi].depends_on[0];
    if (lo) list[Number(lo.slice(1))].depends_on.push(`T${hi}`);
  }
  writeFileSync(join(dir, 'team-manifest.json'), JSON.stringify({ tasks: list }));
  await writeMailbox(join(dir, 'mailbox.jsonl'), messages, teammates, now, r);
}

export function writeMailbox(path, n, teammates, now, r = rng(7), payloadBytes = 60) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('error', reject);
    let seq = 1;
    let lastTo = 'tm_0';
    const filler = 'x'.repeat(payloadBytes);
    const write = () => {
      let ok = true;
      while (seq <= n && ok) {
        const t = new Date(now - (n - seq) * 1000).toISOString();
        const tm = `tm_${Math.floor(r() * teammates)}`;
        let m;
        // Every tenth line acknowledges the question just before it, from its recipient.
        if (seq % 10 === 0) m = { sequence: seq, timestamp: t, from: lastTo, to: 'lead', type: 'ack', ack_sequence: seq - 1 };
        else if (seq % 10 === 9) {
          lastTo = tm;
          m = { sequence: seq, timestamp: t, from: 'lead', to: tm, type: 'message', priority: 'normal', ack_required: true, payload: `question ${seq} ${filler}` };
        } else m = { sequence: seq, timestamp: t, from: tm, to: 'lead', type: 'message', priority: 'normal', payload: `update ${seq} ${filler}` };
        ok = out.write(JSON.stringify(m) + '\n');
        seq++;
      }
      if (seq > n) out.end(resolve);
      else out.once('drain', write);
    };
    write();
  });
}
