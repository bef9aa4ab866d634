// Every detector threshold in one typed, validated config. Defaults are the seed documents'
// figures; src/alerts/config.ts loads overrides (teamtop.config.json, --config FILE).
import * as z from 'zod';

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
  /** oh-my-claudecode teams: a message not delivered this long counts as unacknowledged. */
  omcUndeliveredMinutes: z.number().positive().default(5),
  /** A permission or plan request unanswered this long is high (medium before). */
  approvalHighMinutes: z.number().positive().default(5),
  /**
   * Context windows by model id prefix (the longest prefix wins), tokens: overrides teamtop's
   * own table (200,000, or 1,000,000 for 1M-context models and ids ending in [1m]).
   */
  contextWindows: z.record(z.string().min(1), z.number().int().positive()).default({}),
});

export type Thresholds = z.output<typeof thresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = thresholdsSchema.parse({});
