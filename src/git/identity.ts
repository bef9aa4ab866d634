// Who teamtop's commits and tags are by, when the repository names nobody, and what their
// messages may hold.
import { text, type GitContext } from './run.js';
import { cleanText } from '../safety/sanitize.js';

export const DEFAULT_IDENTITY = { name: 'teamtop', email: 'teamtop@localhost' } as const;

/** Commit and tag messages: no control characters but newline and tab, never empty. */
export function cleanMessage(message: string, fallback: string): string {
  // Kept as written but for controls and invisible characters (an emoji in an id stays whole).
  const m = cleanText(message.replace(/\r\n?/g, '\n'), true).trim();
  return (m === '' ? fallback : m) + '\n';
}

/** Author and committer defaults, only when the repository has no user configured. */
export async function identityEnv(g: GitContext): Promise<Record<string, string>> {
  const r = await g.run(['config', '--get-regexp', '^user\\.(name|email)$'], { okCodes: [0, 1] });
  const keys = new Set(text(r).split('\n').map((l) => l.split(' ')[0]));
  const env: Record<string, string> = {};
  if (!keys.has('user.name')) {
    if (!process.env.GIT_AUTHOR_NAME) env.GIT_AUTHOR_NAME = DEFAULT_IDENTITY.name;
    if (!process.env.GIT_COMMITTER_NAME) env.GIT_COMMITTER_NAME = DEFAULT_IDENTITY.name;
  }
  if (!keys.has('user.email')) {
    if (!process.env.GIT_AUTHOR_EMAIL) env.GIT_AUTHOR_EMAIL = DEFAULT_IDENTITY.email;
    if (!process.env.GIT_COMMITTER_EMAIL) env.GIT_COMMITTER_EMAIL = DEFAULT_IDENTITY.email;
  }
  return env;
}

