// The handlers of the intents that record something: acknowledging an alert (a plan of one
// effect, through the action layer), writing a post-mortem, recording a lesson.
import { isAbsolute, relative } from 'node:path';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { Thresholds } from '../src/model/thresholds.js';
import type { Plan, Writer } from '../src/ports/effects.js';
import { ackFingerprint } from '../src/alerts/acks.js';
import { applyPlan } from '../src/actions/apply.js';
import { resolveRepo } from '../src/git/team-repo.js';
import type { PaneLists } from '../src/tui/derive.js';
import { lessonForm, type Dialog } from '../src/tui/dialogs.js';
import type { StateSource } from '../src/sources/source.js';
import type { IntentHandlers } from './useIntents.js';

export interface RecordDeps {
  team: TeamSnapshot | undefined;
  lists: PaneLists;
  source: StateSource;
  readonly: boolean;
  writerFor?: (teamId: string) => Writer;
  thresholds: Thresholds;
  now: () => number;
  reportsDir?: string;
  /** Acknowledgements that last for the session only (under --readonly). */
  ackForSession: (alertId: string, fingerprint: string) => void;
  say: (message: string) => void;
  openDialog: (d: Dialog | null) => void;
}

export function recordHandlers(d: RecordDeps): Pick<IntentHandlers, 'ack' | 'postmortem' | 'lesson-form' | 'lesson'> {
  return {
    ack: (i) => {
      const team = d.team;
      const alert = team ? d.lists.alerts[i.index] : undefined;
      if (!team || !alert) return;
      const fingerprint = ackFingerprint(alert);
      if (d.readonly || !d.writerFor) {
        d.ackForSession(alert.id, fingerprint);
        d.say(`acknowledged ${alert.id} for this session (read-only: not saved)`);
        return;
      }
      const plan: Plan = {
        action: 'ack-alert', team: team.id, args: { alert: alert.id }, touchesRepo: false, notes: [],
        effects: [{ kind: 'ack-alert', alertId: alert.id, fingerprint, summary: alert.summary }],
      };
      void applyPlan(plan, d.writerFor(team.id)).then(async (r) => {
        await d.source.refresh(team.id);
        d.say(r.ok ? `acknowledged ${alert.id}: hidden until the problem changes` : `could not acknowledge ${alert.id}: ${r.error}`);
      });
    },
    postmortem: () => {
      const team = d.team;
      if (!team) return;
      if (d.readonly) { d.say('read-only: post-mortems and lessons are not written (started with --readonly)'); return; }
      const now = d.now();
      d.say('writing the post-mortem…');
      // The report code loads on first use: the monitor starts without it.
      void import('../src/report/index.js')
        .then(({ writePostmortem }) => writePostmortem({
          team, stateRoot: d.source.getSnapshot().root, thresholds: d.thresholds, now,
          out: { under: d.reportsDir ?? team.format.reportsDir(team, d.source.getSnapshot().root) },
        }))
        .then((r) => d.say(`post-mortem written to ${shortPath(r.dir)}`), (e: Error) => d.say(`post-mortem failed: ${e.message}`));
    },
    'lesson-form': () => {
      const team = d.team;
      if (!team) return;
      if (d.readonly) { d.say('read-only: post-mortems and lessons are not written (started with --readonly)'); return; }
      void resolveRepo(team, d.source.getSnapshot().root).then((repo) => {
        if (!repo) d.say('this team has no git repository: lessons go to tasks/lessons.md in the team\'s repo');
        else d.openDialog(lessonForm());
      }).catch((e: Error) => d.say(`cannot record a lesson: ${e.message}`));
    },
    lesson: (i) => {
      const team = d.team;
      if (!team) return;
      if (d.readonly) { d.say('read-only: post-mortems and lessons are not written (started with --readonly)'); return; }
      const v = i.values;
      void resolveRepo(team, d.source.getSnapshot().root).then(async (repo) => {
        if (!repo) { d.say('this team has no git repository: lessons go to tasks/lessons.md in the team\'s repo'); return; }
        const { appendLesson, today } = await import('../src/report/index.js');
        const file = await appendLesson(repo, { date: today(), team: team.id, type: v.type!, what: v.what!, learned: v.learned!, next: v.next! });
        d.say(`lesson recorded in ${file}`);
      }).catch((e: Error) => d.say(`could not record the lesson: ${e.message}`));
    },
  };
}

/** A path as short as it can be said on one footer line: from the current directory, or from ~. */
export function shortPath(p: string): string {
  const rel = relative(process.cwd(), p);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel;
  const home = process.env.HOME;
  return home && p.startsWith(`${home}/`) ? `~${p.slice(home.length)}` : p;
}
