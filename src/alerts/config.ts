// Every detector threshold in one typed, validated config. Defaults are the seed documents'
// figures; a state root may override them with teamtop.config.json, or --config FILE.
import { z } from 'zod';
import { readJsonFile } from '../sources/json-file.js';

export const thresholdsSchema = z.strictObject({
  /** Heartbeat age brackets, minutes: idle from, stale from, dead after. */
  idleMinutes: z.number().positive().default(10),
  staleMinutes: z.number().positive().default(30),
  deadMinutes: z.number().positive().default(60),
  /** Context use, percent of the window. */
  contextHighPercent: z.number().min(0).max(100).default(80),
  contextExhaustedPercent: z.number().min(0).max(100).default(95),
  /** A message asking for an answer is overdue after this (unless it names its own timeout). */
  ackTimeoutSeconds: z.number().positive().default(30),
  /** Consecutive unacknowledged messages to one teammate that escalate to high. */
  consecutiveUnacked: z.number().int().positive().default(3),
  /** Pending messages that mean "alive but not reading". */
  pendingMessages: z.number().int().positive().default(5),
  /** No update on an in-progress task / on the whole team for this long. */
  taskStuckHours: z.number().positive().default(2),
  teamStalledHours: z.number().positive().default(2),
  leadOfflineMinutes: z.number().positive().default(5),
  /** Unacknowledged timeouts to two or more teammates within this window. */
  partitionWindowMinutes: z.number().positive().default(5),
  /** A compaction with no checkpoint in this many minutes before it. */
  compactionCheckpointMinutes: z.number().positive().default(30),
  /** Claude Code teams: a message unread this long counts as unacknowledged. */
  claudeUnreadMinutes: z.number().positive().default(5),
});

export type Thresholds = z.output<typeof thresholdsSchema>;

export const configSchema = z.strictObject({
  thresholds: thresholdsSchema.partial().default({}),
});

export const DEFAULT_THRESHOLDS: Thresholds = thresholdsSchema.parse({});

export const CONFIG_FILE = 'teamtop.config.json';

export class ConfigError extends Error {}

/** Loads thresholds from `file`; a missing file (when optional) gives the defaults. */
export async function loadThresholds(file: string, optional: boolean): Promise<Thresholds> {
  const r = await readJsonFile(file, configSchema);
  if (r.ok) return thresholdsSchema.parse(r.value.thresholds);
  if (r.missing) {
    if (optional) return DEFAULT_THRESHOLDS;
    throw new ConfigError(`${file}: no such file`);
  }
  throw new ConfigError(`${file}${r.line ? `:${r.line}` : ''}: ${r.message}`);
}
