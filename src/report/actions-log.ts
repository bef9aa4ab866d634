// Reading teamtop's own action log (actions.jsonl: one record per action applied, refused or
// failed, written by applyPlan through a source's Writer.record) back for post-mortems. Bad lines
// are skipped and counted by line number, never fatal: the log is evidence, partial is better
// than none.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { TeamSnapshot } from '../model/snapshot.js';
import { toMs } from '../model/time.js';
import { JsonlTail } from '../sources/jsonl-tail.js';

import { ACTIONS_FILE, type PlanBefore } from '../ports/effects.js';

export { ACTIONS_FILE };

/** One line of actions.jsonl, normalized: `time` in epoch ms, absent parts empty. */
export interface ActionRecord {
  time: number;
  action: string;
  team: string | null;
  args: Record<string, unknown>;
  /** The planned effects (Effect objects as written). */
  plan: unknown[];
  /** 'ok' | 'refused' | 'failed' as written; null when the record has none. */
  result: string | null;
  /** What each effect produced. */
  effects: unknown[];
  error: string | null;
  /** The tasks, teammates and team status the action changed, as they were before it (Plan.before). */
  before: PlanBefore | null;
  /** 1-based line in actions.jsonl (0 for records not read from a file). */
  line: number;
}

export interface ActionLog {
  records: ActionRecord[];
  /** Line numbers of lines that were not JSON or not an action record (the first 1000). */
  skippedLines: number[];
  /** How many lines were skipped in all. */
  skipped: number;
  /** The file does not exist (no action was ever taken). */
  missing: boolean;
}

const recordSchema = z.looseObject({
  time: z.union([z.string(), z.number().finite()]),
  action: z.string().min(1),
  team: z.string().nullish(),
  args: z.record(z.string(), z.unknown()).nullish(),
  plan: z.array(z.unknown()).nullish(),
  result: z.string().nullish(),
  effects: z.array(z.unknown()).nullish(),
  error: z.string().nullish(),
  before: z.object({
    tasks: z.array(z.looseObject({ id: z.string() })).default([]),
    teammates: z.array(z.looseObject({ id: z.string() })).default([]),
    teamStatus: z.string().nullish(),
  }).nullish().catch(null),
});

/** One line, or null when it is not a usable record. */
export function parseActionLine(text: string, line: number): ActionRecord | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const r = recordSchema.safeParse(raw);
  if (!r.success) return null;
  const time = toMs(r.data.time);
  if (time === null || !Number.isFinite(time)) return null;
  return {
    time,
    action: r.data.action,
    team: r.data.team ?? null,
    args: r.data.args ?? {},
    plan: r.data.plan ?? [],
    result: r.data.result ?? null,
    effects: r.data.effects ?? [],
    error: r.data.error ?? null,
    before: r.data.before ?? null,
    line,
  };
}

/** At most this many skipped line numbers are kept (the count goes on). */
const MAX_SKIPPED_LINES = 1000;

/**
 * Every record of the log in file order, with the skipped lines. A missing file is an empty log.
 * The file is streamed (a log of any size is read in bounded memory, bar its records); lines over
 * the line limit are skipped, and an unterminated last line is read like the others.
 */
export async function readActionLog(file: string): Promise<ActionLog> {
  const records: ActionRecord[] = [];
  const skippedLines: number[] = [];
  let skipped = 0;
  let unreadable = false;
  const skip = (line: number): void => {
    skipped++;
    if (skippedLines.length < MAX_SKIPPED_LINES) skippedLines.push(line);
  };
  const tail = new JsonlTail(file, {
    line: (text, lineNo) => {
      if (text.trim() === '') return;
      const rec = parseActionLine(text, lineNo);
      if (rec) records.push(rec);
      else skip(lineNo);
    },
    oversized: (lineNo) => skip(lineNo),
    reset: () => { records.length = 0; skippedLines.length = 0; skipped = 0; },
    // A link, a FIFO or a non-directory on the way is never read: no records (the team's
    // alerts say why).
    problem: (message) => { unreadable = message !== null; },
  });
  await tail.poll();
  tail.flush();
  const missing = unreadable || (tail.offset === 0 && tail.lineNo === 0 && records.length === 0 && skipped === 0 && !(await exists(file)));
  return { records, skippedLines, skipped, missing };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The records of actions.jsonl in file order; bad lines are skipped and counted: the returned
 * array carries `skipped` (how many) and `skippedLines` (which).
 */
export async function readActions(file: string): Promise<ActionRecord[] & { skipped: number; skippedLines: number[] }> {
  const log = await readActionLog(file);
  return Object.assign(log.records, { skipped: log.skipped, skippedLines: log.skippedLines });
}

/** Where teamtop keeps the team's action log: in the records directory its format names. */
export function actionsFileOf(team: TeamSnapshot): string {
  return join(team.format.recordsDir(team), ACTIONS_FILE);
}
