// `teamtop act ACTION [TARGET] --team ID ...`: the action layer from the command line. The same
// planners and writer as the TUI's keys; --dry-run prints the plan without applying it.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import type { ActionArgs, ActionName, ApplyResult, Plan } from '../ports/effects.js';
import { planAction, sameDecision } from '../actions/plan.js';
import { ACTION_NAMES, ACTIONS } from '../actions/registry.js';
import { applyPlan, preflight } from '../actions/apply.js';
import { describeEffect } from '../actions/describe.js';
import { RepoError } from '../git/team-repo.js';
import { planAsShown, planContextFor } from '../actions/context.js';
import { SOURCE_OPTIONS, SOURCE_USAGE_ACTIONS } from './source-opts.js';
import { safeJson, sanitize, shownId } from '../safety/sanitize.js';
import { UsageError } from './errors.js';
import { openRoot } from './open.js';

/** One entry per action, from the registry: its arguments, then what it does (wrapped). */
function actionLines(): string {
  const out: string[] = [];
  for (const name of ACTION_NAMES) {
    const a = ACTIONS[name];
    const head = `  ${name} ${a.usage}`.trimEnd();
    const words = a.summary.split(' ');
    let line = head.length < 30 ? head.padEnd(30) : `${head}\n${' '.repeat(30)}`;
    let width = line.length - line.lastIndexOf('\n') - 1;
    for (const w of words) {
      if (width + w.length + 1 > 100 && width > 30) { line += `\n${' '.repeat(30)}`; width = 30; }
      line += (width > 30 ? ' ' : '') + w;
      width += (width > 30 ? 1 : 0) + w.length;
    }
    out.push(line);
  }
  return out.join('\n');
}

export const ACT_USAGE = `usage: teamtop act <${ACTION_NAMES.join('|')}> [TARGET] --team ID [--root DIR]
                  [--to ID] [--edge FROM:TO] [--reason TEXT] [--backup REF] [--yes] [--dry-run] [--json]

${actionLines()}

  --team ID   the team (required when the root has more than one)
  --dry-run   print the plan and change nothing
  --yes       apply without asking (required without a terminal for abort and undo-abort,
              and for reassign with a commit)
  --json      machine-readable plan and result
${SOURCE_USAGE_ACTIONS(false)}

Exit code: 0 applied (or planned with --dry-run), 1 refused or failed, 2 usage error.`;

/** Actions `act` confirms on the terminal (or takes --yes for) whatever their plan touches. */
const ASKS_ALWAYS: ReadonlySet<ActionName> = new Set(['abort', 'undo-abort']);

export async function runAct(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...SOURCE_OPTIONS, team: { type: 'string' }, to: { type: 'string' }, edge: { type: 'string' },
      reason: { type: 'string' }, backup: { type: 'string' }, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' },
      config: { type: 'string' },
    },
  });
  const [name, target, extra] = positionals;
  if (!name) throw new UsageError(`name an action: ${ACTION_NAMES.join(', ')}`);
  if (!(ACTION_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown action ${JSON.stringify(name)} (actions: ${ACTION_NAMES.join(', ')})`);
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  const action = name as ActionName;
  // An argument the action cannot do without is a usage error (nothing is read or recorded).
  const given: Record<string, unknown> = { target, to: values.to, reason: values.reason?.trim() || undefined, edge: values.edge, backup: values.backup };
  const missing = requiredArgs(ACTIONS[action].usage).filter((r) => given[r.arg] === undefined);
  if (missing.length) throw new UsageError(`act ${action} needs ${missing.map((r) => r.shown).join(' and ')} (usage: teamtop act ${action} ${ACTIONS[action].usage})`);
  const { source, teams } = await openRoot(values);
  await source.close();
  if (!values.team && teams.length > 1) throw new UsageError(`--team is required: ${teams.map((t) => t.id).join(', ')}`);
  const team = teams[0]!;
  const root = source.root;

  const out = (plan: Plan, result: ApplyResult | null, asking = false): void => {
    if (values.json) {
      process.stdout.write(safeJson({ ...plan, result }, 2) + '\n');
      return;
    }
    const lines = [`${plan.action}${target ? ` ${shownId(target)}` : ''} (team ${shownId(plan.team)})`];
    if (plan.refused) lines.push(`refused: ${sanitize(plan.refused)}`);
    for (const n of plan.notes) lines.push(`  note: ${sanitize(n)}`);
    plan.effects.forEach((e, i) => lines.push(`  ${i + 1}. ${sanitize(describeEffect(e, team.format))}`));
    if (result?.recordError) lines.push(`  note: not recorded in actions.jsonl: ${sanitize(result.recordError)}`);
    if (result) {
      if (result.ok) {
        const seqs = result.results.map((r) => r.detail?.sequence).filter((s) => s !== undefined);
        lines.push(`applied${seqs.length ? ` (message sequence ${seqs.join(', ')})` : ''}`);
      } else if (!plan.refused) lines.push(`${result.refused ? 'refused' : 'failed'}: ${sanitize(result.error ?? 'unknown error')}`);
    } else if (!plan.refused && !asking) lines.push('dry run: nothing was changed');
    (plan.refused || (result && !result.ok) ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
  };

  let repo: string | null = null;
  if (values.backup !== undefined && action !== 'undo-abort') throw new UsageError('--backup goes with undo-abort');
  const args: ActionArgs = { target, to: values.to, edge: values.edge, reason: values.reason, ...(values.backup !== undefined ? { backup: values.backup } : {}) };
  const now = Date.now();
  let plan: Plan;
  try {
    const ctx = await planContextFor(team, action, root, now);
    repo = ctx.repo;
    plan = planAction(team, action, args, ctx);
  } catch (e) {
    if (!(e instanceof RepoError)) throw e;
    plan = { action, team: team.id, args: { ...args }, effects: [], touchesRepo: false, notes: [], refused: e.message };
  }
  const writer = source.writer(team.id);
  if (values['dry-run']) {
    // Nothing is written, not even the record of a refusal; the files the plan would write are
    // checked like a real run checks them.
    const refused = await preflight(plan, writer);
    if (refused !== null) plan.refused = refused;
    out(plan, null);
    return plan.refused ? 1 : 0;
  }
  if (plan.refused) {
    out(plan, await applyPlan(plan, writer));
    return 1;
  }
  // Abort and undo-abort ask even without a repository (abort stops the whole team; the TUI makes
  // the lead type the team id for it), and so does anything that changes the repository.
  if ((plan.touchesRepo || ASKS_ALWAYS.has(action)) && !values.yes) {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      const what = plan.touchesRepo ? `changes the git repository ${repo}` : action === 'abort' ? 'stops the whole team' : 'changes the whole team\'s status';
      plan.refused = `${action} ${what}: pass --yes to apply it without a terminal to confirm on`;
      out(plan, await applyPlan(plan, writer));
      return 1;
    }
    out(plan, null, true);
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const expect = action === 'abort' ? team.id : 'y';
    const answer = await rl.question(action === 'abort' ? `type the team id (${team.id}) to abort: ` : 'apply? [y/N] ');
    rl.close();
    if (answer.trim() !== expect) {
      process.stderr.write('not applied\n');
      return 1;
    }
    // The question may have waited a long time: what is applied is the plan shown, planned again on
    // the files as they are now, and only if it asks for the same decision (see planAsShown).
    await source.refresh(team.id);
    const current = source.getSnapshot().teams.find((t) => t.id === team.id);
    let fresh: Plan | null;
    try {
      fresh = current ? await planAsShown(current, { ...plan, action }, root, now) : null;
    } catch (e) {
      if (!(e instanceof RepoError)) throw e;
      fresh = { ...plan, effects: [], refused: e.message };
    }
    if (!fresh || !sameDecision(plan, fresh)) {
      const refused: Plan = { ...(fresh ?? plan), refused: `the team changed while the question waited${fresh?.refused ? ` (now: ${fresh.refused})` : ''}: nothing was applied; run it again to see the plan as it is now` };
      out(refused, await applyPlan(refused, writer));
      return 1;
    }
    plan = fresh;
  }
  const result = await applyPlan(plan, writer);
  out(plan, result);
  return result.ok ? 0 : 1;
}

/**
 * The arguments an action's usage line requires (those outside [brackets]): a positional name in
 * capitals is the target; `--name VALUE` is that option.
 */
export function requiredArgs(usage: string): Array<{ arg: string; shown: string }> {
  const outside = usage.replace(/\[[^\]]*\]/g, ' ').trim();
  const out: Array<{ arg: string; shown: string }> = [];
  const words = outside.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('--')) {
      out.push({ arg: w.slice(2), shown: `${w} ${words[i + 1] ?? ''}`.trim() });
      i++;
    } else if (/^[A-Z]+$/.test(w)) out.push({ arg: 'target', shown: w });
  }
  return out;
}
