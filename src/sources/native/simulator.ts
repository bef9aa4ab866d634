// A light simulator that keeps the demo alive: heartbeats of teammates that are alive advance,
// and now and then a message (and later its ack) arrives in the healthy team. It writes the files
// the way a well-behaved agent would (whole-file rename for JSON; one appended line for the
// mailbox, its sequence taken under mailbox.jsonl.lock), so the demo exercises the same watching
// path as a real team and never collides with the sequences teamtop's own actions allocate.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { appendLine, withLock, writeFileAtomic } from '../../files/write.js';

const ALIVE_MS = 5 * 60_000;

interface Rec { [k: string]: unknown }

export class DemoSimulator {
  private timers: NodeJS.Timeout[] = [];
  private tick = 0;
  private stopped = false;

  constructor(private readonly root: string, private readonly now: () => number = Date.now) {}

  start(heartbeatMs = 3000, messageMs = 9000): void {
    this.timers.push(setInterval(() => void this.beat().catch(() => undefined), heartbeatMs));
    this.timers.push(setInterval(() => void this.message().catch(() => undefined), messageMs));
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private async teams(): Promise<string[]> {
    const out: string[] = [];
    for (const e of await fsp.readdir(this.root, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.includes('.ABORTED-') && !e.name.startsWith('.')) out.push(join(this.root, e.name));
    }
    return out;
  }

  /** Advances the heartbeat of every teammate (and lead) that is still alive. */
  async beat(): Promise<void> {
    const now = this.now();
    const iso = new Date(now).toISOString();
    for (const dir of await this.teams()) {
      if (this.stopped) return;
      const file = join(dir, 'teammates.json');
      let raw: unknown;
      try {
        raw = JSON.parse(await fsp.readFile(file, 'utf8'));
      } catch {
        continue;
      }
      const list = (Array.isArray(raw) ? raw : (raw as { teammates?: unknown[] }).teammates) as Rec[] | undefined;
      if (!list) continue;
      let touched = false;
      for (const t of list) {
        const hb = typeof t.last_heartbeat === 'string' ? Date.parse(t.last_heartbeat) : NaN;
        if (!Number.isNaN(hb) && now - hb < ALIVE_MS) {
          t.last_heartbeat = iso;
          touched = true;
        }
      }
      if (touched) await writeFileAtomic(this.root, file, JSON.stringify(raw, null, 2) + '\n');
      const teamFile = join(dir, 'team.json');
      try {
        const team = JSON.parse(await fsp.readFile(teamFile, 'utf8')) as Rec;
        const lead = team.lead as Rec | undefined;
        const hb = lead && typeof lead.last_heartbeat === 'string' ? Date.parse(lead.last_heartbeat) : NaN;
        if (lead && !Number.isNaN(hb) && now - hb < ALIVE_MS) {
          lead.last_heartbeat = iso;
          await writeFileAtomic(this.root, teamFile, JSON.stringify(team, null, 2) + '\n');
        }
      } catch {
        // no team.json
      }
    }
  }

  private async teammateIds(dir: string): Promise<string[]> {
    try {
      const raw = JSON.parse(await fsp.readFile(join(dir, 'teammates.json'), 'utf8')) as unknown;
      const list = (Array.isArray(raw) ? raw : (raw as { teammates?: unknown[] }).teammates) as Rec[] | undefined;
      return (list ?? []).map((t) => t.id).filter((x): x is string => typeof x === 'string');
    } catch {
      return [];
    }
  }

  /** A status message in the healthy team, answered with an ack on the next round. */
  async message(): Promise<void> {
    const dir = join(this.root, 'gamma-healthy');
    const file = join(dir, 'mailbox.jsonl');
    await withLock(this.root, file, () => this.messageLocked(dir, file));
  }

  private async messageLocked(dir: string, file: string): Promise<void> {
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n').filter((l) => l.trim());
    let max = 0;
    let lastAskSeq: number | null = null;
    let lastAskTo: string | null = null;
    const acked = new Set<number>();
    for (const l of lines) {
      try {
        const m = JSON.parse(l) as Rec;
        if (typeof m.sequence === 'number') max = Math.max(max, m.sequence);
        if (m.type === 'ack' && typeof m.ack_sequence === 'number') acked.add(m.ack_sequence);
        if (m.ack_required === true && typeof m.sequence === 'number') {
          lastAskSeq = m.sequence;
          lastAskTo = typeof m.to === 'string' ? m.to : null;
        }
      } catch {
        // ignore
      }
    }
    const iso = new Date(this.now()).toISOString();
    let msg: Rec;
    if (lastAskSeq !== null && !acked.has(lastAskSeq) && lastAskTo) {
      msg = { sequence: max + 1, timestamp: iso, from: lastAskTo, to: 'lead', type: 'ack', priority: 'normal', ack_sequence: lastAskSeq, payload: 'received' };
    } else {
      const ids = await this.teammateIds(dir);
      if (ids.length === 0) return;
      const who = ids[this.tick++ % ids.length]!;
      msg = this.tick % 2 === 0
        ? { sequence: max + 1, timestamp: iso, from: 'lead', to: who, type: 'message', priority: 'normal', ack_required: true, payload: 'Status check: post your progress when you reach the next deliverable.' }
        : { sequence: max + 1, timestamp: iso, from: who, to: 'lead', type: 'message', priority: 'low', payload: `progress: ${who} finished another step` };
    }
    await appendLine(this.root, file, JSON.stringify(msg));
  }
}
