// The action layer's vocabulary. An action turns (team snapshot, arguments) into a Plan: a list of
// concrete effects in model terms. The TUI shows the plan and applies it on confirmation; the CLI
// prints it with --dry-run. A source's writer turns effects into file writes.
import type { ActionName } from '../alerts/types.js';

export interface NewMessage {
  to: string | string[];
  type: string;
  priority: string;
  payload: unknown;
  /** Extra fields written as they are (ack_required, timeout, resending_sequences, …). */
  fields?: Record<string, unknown>;
}

export type Effect =
  | { kind: 'ack-alert'; alertId: string; fingerprint: string; summary: string };

export interface Plan {
  action: ActionName | 'ack-alert';
  team: string;
  args: Record<string, unknown>;
  effects: Effect[];
  /** Why the action cannot be applied, when it cannot. */
  refused?: string;
}

export interface EffectResult {
  effect: Effect['kind'];
  detail?: Record<string, unknown>;
}

export interface ApplyResult {
  ok: boolean;
  results: EffectResult[];
  error?: string;
}

/** Applies effects to one team's files. Each source has one. */
export interface Writer {
  apply(effect: Effect): Promise<EffectResult>;
  /** Appends one record to the team's actions.jsonl (a single write of one line). */
  record(entry: Record<string, unknown>): Promise<void>;
}

/** One line per effect, for confirmation dialogs and --dry-run. */
export function describeEffect(e: Effect): string {
  switch (e.kind) {
    case 'ack-alert': return `acknowledge alert ${e.alertId} (hidden until its evidence changes)`;
  }
}
