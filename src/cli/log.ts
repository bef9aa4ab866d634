// teamtop's own log file: only written when something goes wrong (an uncaught error's stack).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { teamtopStateDir } from '../files/state-dir.js';

export function logFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEAMTOP_LOG) return env.TEAMTOP_LOG;
  return join(teamtopStateDir(env), 'teamtop.log');
}

/** Appends an entry; returns the path, or null when the log cannot be written. */
export function writeLog(text: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const path = logFilePath(env);
  try {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, `[${new Date().toISOString()}] pid ${process.pid}\n${text}\n\n`);
    return path;
  } catch {
    return null;
  }
}
