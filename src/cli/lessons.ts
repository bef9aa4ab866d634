// `teamtop lessons add`: one dated entry in tasks/lessons.md of the team's repository.
import { parseArgs } from 'node:util';
import { resolveRepo, RepoError } from '../git/team-repo.js';
import { appendLesson, isLessonDate, today } from '../report/lessons.js';
import { sanitize, shownId } from '../safety/sanitize.js';
import { UsageError } from './errors.js';
import { openRoot } from './open.js';
import { SOURCE_OPTIONS, sourceUsage } from './source-opts.js';

export const LESSONS_USAGE = `usage: teamtop lessons add --team ID [--root DIR | DIR] --type TEXT --what TEXT --learned TEXT
                          --next TEXT [--date YYYY-MM-DD]

Appends a dated entry (team, failure type, what happened, what we learned, what we will do
differently) to tasks/lessons.md in the team's git repository (team.json's repo, else the work
tree holding the state root; --repo for a Claude Code team). The file is created with a
"# Lessons" heading when absent.
Exit code: 0 written, 1 when the team has no repository, 2 on usage errors.

  --team ID   the team (required when the root has more than one)
  --type TEXT     the failure type (an alert kind such as consolidation-failure, or your words)
  --what TEXT     what happened
  --learned TEXT  what we learned
  --next TEXT     what we will do differently next time
  --date DATE     the entry's date (default: today)
${sourceUsage({ positional: true, repo: 'the git work tree whose tasks/lessons.md gets the entry', baseRef: null })}`;

export async function runLessons(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...SOURCE_OPTIONS, team: { type: 'string' }, type: { type: 'string' }, what: { type: 'string' },
      learned: { type: 'string' }, next: { type: 'string' }, date: { type: 'string' },
    },
  });
  const [sub, ...rest] = positionals;
  if (sub !== 'add') throw new UsageError(sub === undefined ? 'name a lessons command: add' : `unknown lessons command ${JSON.stringify(sub)} (commands: add)`);
  if (rest.length > 1) throw new UsageError(`unexpected argument: ${rest[1]}`);
  for (const k of ['type', 'what', 'learned', 'next'] as const) {
    if (values[k] === undefined || values[k]!.trim() === '') throw new UsageError(`--${k} is required`);
  }
  const date = values.date ?? today();
  if (!isLessonDate(date)) throw new UsageError(`--date ${JSON.stringify(date)} is not a date (YYYY-MM-DD)`);
  const { source, teams } = await openRoot({ ...values, positional: rest[0] });
  await source.close();
  if (!values.team && teams.length > 1) throw new UsageError(`--team is required: ${teams.map((t) => t.id).join(', ')}`);
  const team = teams[0];
  if (!team) throw new UsageError(`no team under ${source.root}`);
  let repo: string | null;
  try {
    repo = await resolveRepo(team, source.root);
  } catch (e) {
    if (!(e instanceof RepoError)) throw e;
    process.stderr.write(`teamtop: cannot record the lesson: ${sanitize(e.message)}\n`);
    return 1;
  }
  if (!repo) {
    const how = team.format.hints.repo;
    process.stderr.write(`teamtop: cannot record the lesson: team ${shownId(team.id)} has no git repository to hold tasks/lessons.md (${how})\n`);
    return 1;
  }
  const file = await appendLesson(repo, {
    date, team: team.id, type: values.type!, what: values.what!, learned: values.learned!, next: values.next!,
  });
  process.stdout.write(`${sanitize(file)}\n`);
  return 0;
}
