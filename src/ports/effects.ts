// The contracts between layers: the action layer's vocabulary (actions, effects, plans) and the
// writer that carries effects out. Sources implement Writer; actions produce Plans; alerts name
// the actions they suggest. Nothing here imports any of those layers, so none of them imports
// another through it.

/** teamtop's own records for a team, in the records directory its format names. */
export const ACTIONS_FILE = 'actions.jsonl';
export const ROLLBACK_FILE = 'rollback.json';

/** The recovery actions (one module each under src/actions/, registered in its registry). */
export type ActionName =
  | 'wake' | 'resend' | 'break-cycle' | 'reassign' | 'complete' | 'halt' | 'resume' | 'abort' | 'undo-abort';

export interface ActionArgs {
  /** The teammate (wake, resend) or task (reassign, complete) acted on; a task of the cycle for break-cycle. */
  target?: string;
  /** reassign: the new owner. */
  to?: string;
  /** break-cycle: the dependency to remove, "FROM:TO" (FROM stops waiting on TO). */
  edge?: string;
  reason?: string;
  /** undo-abort: restore this backup of the team (a full ref) instead of the one the journal names. */
  backup?: string;
}

export interface PlanContext {
  now: number;
  /** The team's git work tree, or null when it has none. */
  repo: string | null;
  /** Who the messages come from. */
  lead: string;
  /** undo-abort: the newest backup ref of this team, looked up before planning. */
  backup?: string | null;
  /**
   * abort and undo-abort: every backup ref of this team in its repository, newest first (a ref a
   * journal names is carried or restored only when it is here). Unknown when absent.
   */
  backups?: string[];
}

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
  /**
   * What the plan's effects change in files that keep only their current state (tasks, teammates,
   * the team's status), as it was when planned: recorded with the action so that a post-mortem's
   * replay sees the team as it was before it (model objects, as plain JSON).
   */
  before?: PlanBefore;
}

export interface PlanBefore {
  tasks: Array<Record<string, unknown>>;
  teammates: Array<Record<string, unknown>>;
  teamStatus?: string | null;
}

export interface EffectResult {
  effect: Effect['kind'];
  detail?: Record<string, unknown>;
}

export interface ApplyResult {
  ok: boolean;
  results: EffectResult[];
  error?: string;
  /** Nothing ran: the plan was refused (by its planner or by the checks before the first write). */
  refused?: true;
  /** actions.jsonl could not be written (e.g. it is a symbolic link): the outcome is not recorded. */
  recordError?: string;
}

/** What earlier effects of the same plan produced, for later ones. */
export interface ApplyContext {
  commit?: string;
}

/** Applies effects to one team's files. Each source has one. */
export interface Writer {
  /**
   * Checks, before a plan writes anything, that every file this effect writes is safe to write
   * (and for a git effect, everything git can be asked without writing). `earlier`: the plan's
   * effects that run before this one.
   */
  check(effect: Effect, earlier?: readonly Effect[]): Promise<void>;
  apply(effect: Effect, ctx: ApplyContext): Promise<EffectResult>;
  /**
   * Applies consecutive task updates as one write where the format keeps every task in one file
   * (a cycle renumbered is then one rewrite, all or nothing, instead of one per task).
   */
  applyTaskUpdates?(effects: Array<Extract<Effect, { kind: 'update-task' }>>): Promise<EffectResult[]>;
  /** Appends one record to the team's actions.jsonl (a single write of one line). */
  record(entry: Record<string, unknown>): Promise<void>;
  /** Checks that actions.jsonl can be written: an action that cannot be recorded does not run. */
  checkRecord(journal?: boolean): Promise<void>;
  /** Replaces the team's rollback journal. */
  writeRollback(journal: RollbackJournal): Promise<void>;
}

/**
 * The journal of a rollback (abort, undo-abort), kept by teamtop in the team's records: written
 * before the operation's first effect and after each one, so one killed half way is seen by the
 * next abort, undo-abort or start, which can complete it or restore the state from before it.
 */
export interface RollbackJournal {
  op: 'abort' | 'undo-abort';
  state: 'in-progress' | 'done';
  started_at: string;
  updated_at: string;
  /** Where the state from before the operation is saved (for a completed retry: before the first attempt). */
  backup_ref: string | null;
  /** undo-abort: the backup it restores. */
  restore_ref: string | null;
  /** Every backup the operation made, oldest first. */
  backups: string[];
  /**
   * An earlier attempt this one completes had begun changing the work tree (so `backup_ref`, the
   * backup from before that attempt, is the state to return to even if this attempt's own reset
   * has not begun).
   */
  tree_changed?: boolean;
  /** The operation's steps (effect kinds) and how many are done. */
  steps: string[];
  done: number;
  /** The failure that stopped it, when it stopped on an error rather than a kill. */
  error?: string;
}

