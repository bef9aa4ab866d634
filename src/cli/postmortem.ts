// `teamtop postmortem --team ID`: gathers the evidence of a team's run into a report directory
// (copies of its state, the git log since base_ref, the timeline, summary.json and a pre-filled
// postmortem.md) and prints the directory's path.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { sanitize } from '../safety/sanitize.js';
import { writePostmortem } from '../report/postmortem.js';
import { UsageError } from './errors.js';
import { openRoot } from './open.js';
import { SOURCE_OPTIONS, sourceUsage } from './source-opts.js';

export const POSTMORTEM_USAGE = `usage: teamtop postmortem --team ID [--root DIR | DIR] [--out DIR] [--config FILE]
                         [--source claude --claude-dir DIR]

Writes a post-mortem into a new report directory, by default reports/postmortem-<YYYYMMDD>-<team>/
under the state root (a Claude Code team's: in teamtop's state directory, beside its records)
(-2, -3… when that name is taken; nothing that exists is ever overwritten):
  copies of the team's state files (mailbox.jsonl, teammates.json, team-manifest.json,
  events.jsonl, actions.jsonl, team.json; for a Claude Code team config.json, inboxes/, tasks/
  and actions.jsonl), git-log.txt (the team's repo since base_ref), timeline.md (messages,
  events, actions and alerts in time order), summary.json, and postmortem.md (summary, timeline,
  alerts with evidence, a five-whys scaffold pre-filled from the evidence, findings, what was
  done and how long recovery took, prevention recommendations per alert kind).
Alerts are reconstructed by replaying the detectors over the history.
Prints the report directory. Exit code: 0 written, 1 when it is not (the --out directory is not
empty, a link or a FIFO is where a file would go, a write failed), 2 on usage errors or an
unreadable root.

  --team ID       the team (required when the root has more than one)
  --out DIR       the report directory itself: created, or an existing empty directory
  --config FILE   detector thresholds (default: DIR/teamtop.config.json when present)
${sourceUsage({ positional: true, repo: 'the git work tree whose log the report includes', baseRef: 'the log starts after this ref' })}`;

export async function runPostmortem(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...SOURCE_OPTIONS, team: { type: 'string' }, out: { type: 'string' }, config: { type: 'string' } },
  });
  if (positionals.length > 1) throw new UsageError(`unexpected argument: ${positionals[1]}`);
  if (values.out === '') throw new UsageError('--out needs a directory');
  const { source, thresholds, teams } = await openRoot({ ...values, positional: positionals[0], archived: true });
  await source.close();
  if (!values.team && teams.length > 1) throw new UsageError(`--team is required: ${teams.map((t) => t.id).join(', ')}`);
  const team = teams[0];
  if (!team) throw new UsageError(`no team under ${source.root}`);
  const now = Date.now();
  // By default under the state root (or teamtop's records), never the current directory.
  const out = values.out ? { exact: resolve(values.out) } : { under: team.format.reportsDir(team, source.root) };
  const r = await writePostmortem({ team, stateRoot: source.root, thresholds, out, now });
  process.stdout.write(`${sanitize(r.dir)}\n`);
  return 0;
}
