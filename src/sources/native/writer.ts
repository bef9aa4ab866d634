// Effects on the native team-state format.
import { join } from 'node:path';
import type { Effect, EffectResult, Writer } from '../../actions/types.js';
import { ACKS_FILE } from '../../alerts/acks.js';
import { appendLine, readJsonOr, withLock, writeJsonAtomic } from '../../safety/files.js';
import { TEAM_FILES } from './team.js';

export class NativeWriter implements Writer {
  constructor(readonly dir: string, private readonly now: () => number = Date.now) {}

  async apply(e: Effect): Promise<EffectResult> {
    switch (e.kind) {
      case 'ack-alert': {
        const file = join(this.dir, ACKS_FILE);
        await withLock(file, async () => {
          const cur = await readJsonOr<{ acks?: Record<string, unknown> }>(file, { acks: {} });
          const acks = { ...(cur.acks ?? {}), [e.alertId]: { evidence: e.fingerprint, at: new Date(this.now()).toISOString(), summary: e.summary } };
          await writeJsonAtomic(file, { ...cur, acks });
        });
        return { effect: e.kind, detail: { alert: e.alertId } };
      }
    }
  }

  async record(entry: Record<string, unknown>): Promise<void> {
    await appendLine(join(this.dir, TEAM_FILES.actions), JSON.stringify(entry));
  }
}
