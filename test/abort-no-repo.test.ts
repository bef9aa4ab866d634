// Abort and undo-abort of a team with no git repository: the abort never leaves a team nothing can
// bring back. Its only change to a state file is team.json's team_status; undo-abort sets it back
// from the abort's own record (its team_aborted message), keeps what changed since, refuses with
// the reason when there is no record, and never restores an older git backup for such an abort.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NativeSource } from '../src/sources/native/source.js';
import { NativeWriter } from '../src/sources/native/writer.js';
import { planAction } from '../src/actions/plan.js';
import { applyPlan } from '../src/actions/apply.js';
import { planContextFor } from '../src/actions/context.js';
import type { ActionArgs, ActionName } from '../src/ports/effects.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import { runCli } from './helpers/cli.js';
import { git, initRepo, makeWork, snapshotTree } from './helpers/repo.js';
import { iso, removeDir, tempDir, writeTeam } from './helpers/state.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const STAMP = '20260228T150000Z';
let root: string;
let dir: string;

function crew(team: Record<string, unknown> = { team_id: 'crew', team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW) }, base_ref: 'main' }): void {
  dir = writeTeam(root, 'crew', {
    team,
    teammates: [{ id: 'tm_a', status: 'active', last_heartbeat: iso(NOW) }],
    manifest: [{ id: 'T1', assigned_to: 'tm_a', status: 'in_progress' }, { id: 'T2', assigned_to: 'tm_a', status: 'completed' }],
    mailbox: [{ sequence: 1, timestamp: iso(NOW - 60_000), from: 'lead', to: 'tm_a', type: 'message', payload: 'go' }],
    events: [{ timestamp: iso(NOW - 120_000), type: 'team_started' }],
    checkpoints: { 'tm_a-latest.json': { checkpoint_id: 'ck1', teammate_id: 'tm_a', timestamp: iso(NOW - 60_000) } },
  });
}

beforeEach(() => {
  root = tempDir('teamtop-norepo-');
  crew();
});
afterEach(() => removeDir(root));

async function load(): Promise<TeamSnapshot> {
  const s = new NativeSource(root);
  await s.load();
  const t = s.getSnapshot().teams.find((x) => x.id === 'crew')!;
  await s.close();
  return t;
}

/** Plans with the context `act` and the TUI use, and applies. */
async function run(action: ActionName, args: ActionArgs = {}, now = NOW) {
  const team = await load();
  const plan = planAction(team, action, args, await planContextFor(team, action, root, now));
  const result = await applyPlan(plan, new NativeWriter(dir, { lead: 'lead', stateRoot: root, now: () => now }), () => now);
  return { plan, result };
}

/** Every regular file under `d`, by relative path: its bytes. */
function files(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string): void => {
    for (const n of readdirSync(p)) {
      const f = join(p, n);
      if (statSync(f).isDirectory()) walk(f);
      else out[relative(d, f)] = readFileSync(f, 'latin1');
    }
  };
  walk(d);
  return out;
}

const teamJson = (): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'team.json'), 'utf8')) as Record<string, unknown>;
const mailbox = (): Array<Record<string, any>> => readFileSync(join(dir, 'mailbox.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('abort without a repository, and its undo', () => {
  it('undo-abort brings back every state file the abort changed, byte for byte; the archive holds them as they were', async () => {
    const before = files(dir);
    const abort = await run('abort', { reason: 'wrong approach' });
    expect(abort.result.error ?? abort.plan.refused ?? 'ok').toBe('ok');
    expect(teamJson().team_status).toBe('aborted');
    // The archive was copied before any state file changed: it is the directory as it was, plus
    // the decision record (a new file), which names the status from before.
    const archive = files(join(root, `crew.ABORTED-${STAMP}`));
    const decision = JSON.parse(archive[`abort-${STAMP}.json`]!) as Record<string, unknown>;
    expect(decision).toMatchObject({ team_status_before: 'active', archive: `crew.ABORTED-${STAMP}` });
    expect(archive).toEqual({ ...before, [`abort-${STAMP}.json`]: archive[`abort-${STAMP}.json`] });

    const undo = await run('undo-abort', {}, NOW + 60_000);
    expect(undo.result.error ?? undo.plan.refused ?? 'ok').toBe('ok');
    // Planned like the git undo: the status, then everyone told (no git effect).
    expect(undo.plan.effects.map((e) => e.kind)).toEqual(['set-team-status', 'append-message']);
    const after = files(dir);
    // Every state file as it was, byte for byte (team.json included)...
    for (const [name, bytes] of Object.entries(before)) {
      if (name !== 'mailbox.jsonl') expect(after[name], name).toBe(bytes);
    }
    // ...the mailbox is a history: its lines kept, the abort and its undo appended...
    expect(after['mailbox.jsonl']!.startsWith(before['mailbox.jsonl']!)).toBe(true);
    expect(mailbox().slice(1).map((m) => [m.type, m.payload.team_status_before ?? m.payload.undoes_abort])).toEqual([['team_aborted', 'active'], ['team_resumed', 2]]);
    // ...and the only new files are teamtop's records.
    expect(Object.keys(after).filter((n) => !(n in before)).sort()).toEqual(['.mailbox.seq', `abort-${STAMP}.json`, 'actions.jsonl']);
  });

  it('restores the status the team had (halted stays halted), and the team can be resumed after', async () => {
    expect((await run('halt', { reason: 'look first' })).result.ok).toBe(true);
    const halted = readFileSync(join(dir, 'team.json'), 'utf8');
    expect((await run('abort', { reason: 'x' }, NOW + 1000)).result.ok).toBe(true);
    const undo = await run('undo-abort', {}, NOW + 2000);
    expect(undo.result.error ?? undo.plan.refused ?? 'ok').toBe('ok');
    expect(readFileSync(join(dir, 'team.json'), 'utf8')).toBe(halted);
    expect(mailbox().at(-1)).toMatchObject({ type: 'team_halted', to: 'all' });
    expect((await run('resume', {}, NOW + 3000)).result.ok).toBe(true);
    expect(teamJson().team_status).toBe('active');
  });

  it('keeps what changed in team.json since the abort, and refuses once the status itself has changed', async () => {
    expect((await run('abort', { reason: 'x' })).result.ok).toBe(true);
    // The lead's heartbeat goes on in team.json after the abort: the undo keeps it.
    const since = { ...teamJson(), lead: { id: 'lead', last_heartbeat: iso(NOW + 30_000) } };
    writeFileSync(join(dir, 'team.json'), JSON.stringify(since, null, 2) + '\n');
    expect((await run('undo-abort', {}, NOW + 60_000)).result.ok).toBe(true);
    expect(teamJson()).toEqual({ ...since, team_status: 'active' });
    // Undone already: nothing of it is left to undo.
    const again = await run('undo-abort', {}, NOW + 120_000);
    expect(again.plan.refused).toMatch(/crew is not aborted \(status: active\)/);
  });

  it('refuses, with the way out, when there is no record of the status from before, and writes nothing', async () => {
    const cases: Array<{ name: string; plant: () => void; why: RegExp }> = [
      { name: 'aborted by hand', plant: () => undefined, why: /no record of the team_status it had before the abort: no team_aborted message from lead/ },
      {
        name: 'aborted by an older teamtop',
        plant: () => writeFileSync(join(dir, 'mailbox.jsonl'), `${readFileSync(join(dir, 'mailbox.jsonl'), 'utf8')}${JSON.stringify({ sequence: 2, timestamp: iso(NOW), from: 'lead', to: 'all', type: 'team_aborted', payload: { text: 'Team aborted.', backup_ref: null } })}\n`),
        why: /does not record the status from before it \(an abort by an older teamtop\)/,
      },
      {
        name: 'halted after the abort, then marked aborted by hand',
        plant: () => writeFileSync(join(dir, 'mailbox.jsonl'), `${readFileSync(join(dir, 'mailbox.jsonl'), 'utf8')}${[
          { sequence: 2, timestamp: iso(NOW), from: 'lead', to: 'all', type: 'team_aborted', payload: { backup_ref: null, team_status_before: 'active' } },
          { sequence: 3, timestamp: iso(NOW), from: 'lead', to: 'all', type: 'team_halted', payload: {} },
        ].map((m) => JSON.stringify(m) + '\n').join('')}`),
        why: /last team-status message is team_halted \(sequence 3\)/,
      },
    ];
    for (const c of cases) {
      removeDir(root);
      root = tempDir('teamtop-norepo-');
      crew({ team_id: 'crew', team_status: 'aborted', lead: { id: 'lead' } });
      c.plant();
      const before = files(dir);
      const { plan, result } = await run('undo-abort');
      expect(plan.refused, c.name).toMatch(c.why);
      expect(plan.refused, c.name).toMatch(/Set team_status in team\.json yourself/);
      expect(result.ok).toBe(false);
      const after = files(dir);
      expect(JSON.parse(after['actions.jsonl']!.trim())).toMatchObject({ action: 'undo-abort', result: 'refused' });
      delete after['actions.jsonl'];
      expect(after, c.name).toEqual(before);
    }
  });

  it('refuses to undo an abort of a team.json that had no team_status (it would have to remove the field)', async () => {
    removeDir(root);
    root = tempDir('teamtop-norepo-');
    crew({ team_id: 'crew', lead: { id: 'lead' } });
    expect((await run('abort', { reason: 'x' })).result.ok).toBe(true);
    const { plan } = await run('undo-abort', {}, NOW + 60_000);
    expect(plan.refused).toMatch(/team\.json had no team_status before the abort .*never removes the field/);
    expect(teamJson().team_status).toBe('aborted');
  });

  it('an abort killed after any of its steps leaves a team that abort or undo-abort brings back exactly', () => {
    for (const step of ['write-record', 'copy-dir', 'append-message', 'set-team-status']) {
      removeDir(root);
      root = tempDir('teamtop-norepo-');
      crew();
      const original = readFileSync(join(dir, 'team.json'), 'utf8');
      const killed = runCli(['act', 'abort', '--team', 'crew', '--root', root, '--yes'], { env: { TEAMTOP_FAULT: `kill-after:${step}` } });
      expect(killed.signal, step).toBe('SIGKILL');
      if (teamJson().team_status !== 'aborted') {
        // The team is as it was: the abort is run again (in the next second once an archive was
        // made: archives are named to the second).
        if (readdirSync(root).some((n) => n.startsWith('crew.ABORTED-'))) {
          const next = Math.ceil((Date.now() + 1) / 1000) * 1000;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, next - Date.now());
        }
        const again = runCli(['act', 'abort', '--team', 'crew', '--root', root, '--yes']);
        expect(again.status, `${step}: ${again.stderr}`).toBe(0);
      }
      const undo = runCli(['act', 'undo-abort', '--team', 'crew', '--root', root, '--yes']);
      expect(undo.status, `${step}: ${undo.stderr}`).toBe(0);
      expect(readFileSync(join(dir, 'team.json'), 'utf8'), step).toBe(original);
    }
  });

  /**
   * An abort in a repository, then `between` (how its status came back), then the team loses its
   * repository, is aborted without one and gets the repository back: U undoes the second abort the
   * way it was made, never by restoring the first one's git backup.
   */
  async function secondAbortWithoutRepo(between: (repo: string) => Promise<void>): Promise<void> {
    const repo = tempDir('teamtop-norepo-git-');
    try {
      initRepo(repo);
      makeWork(repo);
      crew({ team_id: 'crew', team_status: 'active', lead: { id: 'lead' }, base_ref: 'main', repo });
      expect((await run('abort', { reason: 'first' })).result.ok).toBe(true);
      await between(repo);
      const { repo: _r, ...without } = { ...teamJson() };
      void _r;
      writeFileSync(join(dir, 'team.json'), JSON.stringify(without, null, 2) + '\n');
      const abort = await run('abort', { reason: 'second' }, NOW + 120_000);
      expect(abort.plan.effects.some((e) => e.kind.startsWith('git-'))).toBe(false);
      expect(abort.result.ok).toBe(true);
      writeFileSync(join(dir, 'team.json'), JSON.stringify({ ...teamJson(), repo }, null, 2) + '\n');
      writeFileSync(join(repo, 'since.txt'), 'work done since\n');
      const tree = snapshotTree(repo);
      const head = git(repo, 'rev-parse', 'HEAD');
      const undo = await run('undo-abort', {}, NOW + 180_000);
      expect(undo.result.error ?? undo.plan.refused ?? 'ok').toBe('ok');
      expect(undo.plan.effects.map((e) => e.kind)).toEqual(['set-team-status', 'append-message']);
      expect(snapshotTree(repo)).toEqual(tree);
      expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
      expect(teamJson().team_status).toBe('active');
    } finally {
      removeDir(repo);
    }
  }

  it('an abort made without a repository is never undone by restoring an older git backup of the team', () => secondAbortWithoutRepo(async (repo) => {
    // The first abort undone: backups of the team are left in the repository.
    expect((await run('undo-abort', {}, NOW + 60_000)).result.ok).toBe(true);
    expect(git(repo, 'for-each-ref', '--format=%(refname)', 'refs/teamtop/backup/').split('\n')).toHaveLength(2);
  }));

  it('…nor when the journal is still the older abort\'s (its status was set back by hand, not by undo-abort)', () => secondAbortWithoutRepo(async () => {
    // As a refusal's way out says: the journal stays the first abort's.
    writeFileSync(join(dir, 'team.json'), JSON.stringify({ ...teamJson(), team_status: 'active' }, null, 2) + '\n');
  }));
});
