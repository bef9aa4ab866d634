// Lessons capture: after a post-mortem, one dated entry in the project's tasks/lessons.md (the
// team's repository): the team, the kind of failure, what happened, what was learned and what
// will be done differently. Appended with a single write, so concurrent writers never interleave.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { appendLine, mkdirGuarded } from '../files/write.js';
import { guardPath } from '../files/guard.js';
import { sanitize } from '../safety/sanitize.js';

export const LESSONS_FILE = join('tasks', 'lessons.md');
export const LESSONS_HEADING = '# Lessons\n';

export interface Lesson {
  /** YYYY-MM-DD */
  date: string;
  team: string;
  /** The failure type (an alert kind, or free text). */
  type: string;
  what: string;
  learned: string;
  next: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `s` is a real calendar date written YYYY-MM-DD. */
export function isLessonDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Today as YYYY-MM-DD in local time. */
export function today(now: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

const oneLine = (s: string): string => sanitize(s).replace(/\s+/g, ' ').trim();
/** Paragraph text: controls and escape sequences removed, line breaks kept, no trailing blank lines. */
const block = (s: string): string => sanitize(s.replace(/\r\n?/g, '\n'), true).replace(/\t/g, '  ').trim();

/** The Markdown of one entry, starting with a blank line (so entries stay apart when appended). */
export function formatLesson(l: Lesson): string {
  return [
    '',
    `## ${oneLine(l.date)} — ${oneLine(l.team)}: ${oneLine(l.type)}`,
    '',
    `**Date**: ${oneLine(l.date)}`,
    `**Team**: ${oneLine(l.team)}`,
    `**Failure type**: ${oneLine(l.type)}`,
    '',
    '### What happened',
    block(l.what),
    '',
    '### What we learned',
    block(l.learned),
    '',
    '### What we will do differently',
    block(l.next),
    '',
  ].join('\n');
}

/**
 * Appends the entry to `<repoDir>/tasks/lessons.md`, creating the directory, and the file with a
 * `# Lessons` heading, when absent. Returns the file's path.
 */
export async function appendLesson(repoDir: string, lesson: Lesson): Promise<string> {
  const file = join(repoDir, LESSONS_FILE);
  // Inside the repository, no link at tasks/ or tasks/lessons.md (a teammate could plant one).
  await mkdirGuarded(repoDir, join(repoDir, 'tasks'));
  await guardPath(repoDir, file, { final: 'file' });
  try {
    // O_EXCL: never follows a link; fails when the file exists (then the heading is there).
    await fsp.writeFile(file, LESSONS_HEADING, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  await appendLine(repoDir, file, formatLesson(lesson));
  return file;
}
