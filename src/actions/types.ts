// The action layer's vocabulary. An action turns (team snapshot, arguments) into a Plan: a list of
// concrete effects in model terms. The TUI shows the plan and applies it on confirmation; the CLI
// prints it with --dry-run. A source's writer turns effects into file writes and git commands.
import type { ActionName } from '../alerts/types.js';
import type { RollbackJournal } from '../model/types.js';

export type { RollbackJournal };

export interface NewMessage {
  to: string | string[];
  type: string;
  priority: string;
  payload: unknown;
  /** Extra fields written as they are (ack_required, timeout, resending_sequences, …). */
  fields?: Record<string, unknown>;
  /** Put the commit made earlier in this plan into payload[field] (e.g. the checkpoint commit). */
  commitInto?: string;
}

export type Effect =
  | { kind: 'ack-alert'; alertId: string; fingerprint: string; summary: string }
  | { kind: 'append-message'; message: NewMessage }
  | {
    kind: 'update-task'; taskId: string;
    set?: { owner?: string; status?: string; sequence?: number; completed_at?: string; completion_percent?: number; [k: string]: unknown };
    /** Stop waiting on this task (removed from depends_on / blockedBy, and from its `blocks`). */
    removeDependency?: string;
  }
  | { kind: 'set-teammate-status'; teammateId: string; status: string }
  | { kind: 'set-team-status'; status: string }
  | { kind: 'write-checkpoint'; teammateId: string; stamp: string; checkpoint: Record<string, unknown> }
  /** A record file in the team directory (reassignment brief, abort decision). */
  | { kind: 'write-record'; file: string; data: Record<string, unknown>; commitInto?: string }
  | { kind: 'git-commit-wip'; repo: string; message: string }
  | { kind: 'git-tag'; repo: string; name: string; message: string }
  /**
   * Saves everything the rollback that follows can remove or change under `ref` (a new ref under
   * refs/teamtop/backup/). `rollbackTo`: the revisions whose trees that rollback writes (abort: the
   * base ref; undo-abort: the backup it restores), so ignored files they would overwrite are saved.
   */
  | { kind: 'git-backup'; repo: string; ref: string; message: string; team: string; rollbackTo: string[] }
  /** reset --hard + clean; what the reset exposes to clean is added to `backupRef` before clean runs. */
  | { kind: 'git-reset'; repo: string; target: string; backupRef: string }
  /** The exact state saved in `ref`; like git-reset, adds what it would remove to `backupRef` first. */
  | { kind: 'git-restore'; repo: string; ref: string; backupRef: string }
  /** Copy the team directory to a sibling directory (the archive of an aborted team). */
  | { kind: 'copy-dir'; to: string };

export type PlanAction = ActionName | 'ack-alert';

export interface Plan {
  action: PlanAction;
  team: string;
  args: Record<string, unknown>;
  effects: Effect[];
  /** Why the action cannot be applied, when it cannot. */
  refused?: string;
  /** The plan changes the git repository (needs --yes without a TTY). */
  touchesRepo: boolean;
  /** Things the lead should know before confirming. */
  notes: string[];
  /**
   * A rollback that completes or undoes an interrupted one carries on its journal's origin: when
   * it started and where the state from before it is saved.
   */
  carries?: { started_at: string; backup_ref: string | null };
}

export interface EffectResult {
  effect: Effect['kind'];
  detail?: Record<string, unknown>;
}

export interface ApplyResult {
  ok: boolean;
  results: EffectResult[];
  error?: string;
  /** actions.jsonl could not be written (e.g. it is a symbolic link): the outcome is not recorded. */
  recordError?: string;
}

/** What earlier effects of the same plan produced, for later ones. */
export interface ApplyContext {
  commit?: string;
}

/** Applies effects to one team's files. Each source has one. */
export interface Writer {
  /** Checks, before a plan writes anything, that every file this effect writes is safe to write. */
  check(effect: Effect): Promise<void>;
  apply(effect: Effect, ctx: ApplyContext): Promise<EffectResult>;
  /** Appends one record to the team's actions.jsonl (a single write of one line). */
  record(entry: Record<string, unknown>): Promise<void>;
  /** Checks that actions.jsonl can be written: an action that cannot be recorded does not run. */
  checkRecord(): Promise<void>;
  /** Replaces the team's rollback journal. */
  writeRollback(journal: RollbackJournal): Promise<void>;
}

const short = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 100 ? `${s.slice(0, 99)}…` : s;
};

/** One line per effect, for confirmation dialogs and --dry-run. */
export function describeEffect(e: Effect): string {
  switch (e.kind) {
    case 'ack-alert': return `acknowledge alert ${e.alertId} (hidden until its evidence changes)`;
    case 'append-message': {
      const to = Array.isArray(e.message.to) ? e.message.to.join(', ') : e.message.to;
      const fields = Object.entries(e.message.fields ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
      return `mailbox: append ${e.message.type} (${e.message.priority}) to ${to}${fields ? ` ${fields}` : ''}`;
    }
    case 'update-task': {
      const parts: string[] = [];
      if (e.removeDependency) parts.push(`stop waiting on ${e.removeDependency}`);
      for (const [k, v] of Object.entries(e.set ?? {})) parts.push(`${k} = ${short(v)}`);
      return `manifest: task ${e.taskId}: ${parts.join(', ')}`;
    }
    case 'set-teammate-status': return `teammates: ${e.teammateId} status = ${e.status}`;
    case 'set-team-status': return `team.json: team_status = ${e.status}`;
    case 'write-checkpoint': return `checkpoints/${e.teammateId}-${e.stamp}.json and ${e.teammateId}-latest.json`;
    case 'write-record': return `write ${e.file}`;
    case 'git-commit-wip': return `git (${e.repo}): commit all work in progress: "${short(e.message)}"`;
    case 'git-tag': return `git (${e.repo}): tag ${e.name}`;
    case 'git-backup': return `git (${e.repo}): save HEAD, uncommitted changes and untracked files under ${e.ref}`;
    case 'git-reset': return `git (${e.repo}): reset --hard to ${e.target} and remove untracked files (the state root is kept)`;
    case 'git-restore': return `git (${e.repo}): restore ${e.ref} exactly (commits, uncommitted changes, untracked files)`;
    case 'copy-dir': return `copy the team directory to ${e.to}`;
  }
}
