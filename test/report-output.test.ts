// Where post-mortems and archives land, and what they copy: a report never replaces or removes
// anything that exists (a link planted where the report goes is never followed), and copies of
// untrusted state are streamed, bounded (no file over 1 GiB, no hard link to a file elsewhere)
// and byte-exact in their names.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  existsSync, linkSync, mkdirSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { iso, removeDir, tempDir, writeTeam } from './helpers/state.js';

let base: string;
let root: string;
let dir: string;
let victim: string;
const now = Date.now();

beforeEach(() => {
  base = tempDir('teamtop-out-');
  root = join(base, 'state');
  dir = writeTeam(root, 'crew', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
    teammates: [{ id: 'tm_a', status: 'active', last_heartbeat: iso(now) }],
    mailbox: [{ sequence: 1, timestamp: iso(now), from: 'lead', to: 'tm_a', type: 'message', payload: 'hi' }],
  });
  victim = join(base, 'victim');
  mkdirSync(victim);
  writeFileSync(join(victim, 'summary.json'), 'precious\n');
});
afterEach(() => removeDir(base));

const postmortem = (extra: string[], cwd = base) => runCli(['postmortem', '--team', 'crew', '--root', root, ...extra], { cwd });
const day = (): string => {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `postmortem-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-crew`;
};

describe('where a report goes', () => {
  // By default under the state root (reports/), never the current directory.
  it('a second report the same day goes to a new directory; the first is untouched', () => {
    const first = postmortem([]);
    expect(first.status, first.stderr).toBe(0);
    const pm = readFileSync(join(first.stdout.trim(), 'postmortem.md'), 'utf8');
    const second = postmortem([]);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe(join(root, 'reports', `${day()}-2`));
    expect(readFileSync(join(first.stdout.trim(), 'postmortem.md'), 'utf8')).toBe(pm);
  });

  it('a link planted at the report\'s name is never followed: the report goes beside it', () => {
    mkdirSync(join(root, 'reports'));
    symlinkSync(victim, join(root, 'reports', day()));
    const r = postmortem([]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(root, 'reports', `${day()}-2`));
    expect(readdirSync(victim)).toEqual(['summary.json']);
    expect(readFileSync(join(victim, 'summary.json'), 'utf8')).toBe('precious\n');
  });

  it('reports/ itself a link is refused (choose --out), nothing written through it', () => {
    symlinkSync(victim, join(root, 'reports'));
    const r = postmortem([]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to write .*reports: it is a symbolic link, not a directory \(choose the report directory with --out\)/);
    expect(readdirSync(victim)).toEqual(['summary.json']);
  });

  it('--out an existing directory with files in it (the current directory, say) is refused; nothing there is removed', () => {
    const claude = join(base, 'claude');
    mkdirSync(join(claude, 'teams', 't1', 'inboxes'), { recursive: true });
    mkdirSync(join(claude, 'tasks', 't1'), { recursive: true });
    writeFileSync(join(claude, 'teams', 't1', 'config.json'), JSON.stringify({ name: 't1', leadAgentId: 'lead@t1', members: [{ name: 'lead', agentId: 'lead@t1' }, { name: 'w', agentId: 'w@t1' }] }));
    writeFileSync(join(claude, 'teams', 't1', 'inboxes', 'w.json'), '[]');
    writeFileSync(join(claude, 'tasks', 't1', '1.json'), JSON.stringify({ id: '1', subject: 's', status: 'pending', blocks: [], blockedBy: [] }));
    const proj = join(base, 'proj');
    mkdirSync(join(proj, 'tasks'), { recursive: true });
    writeFileSync(join(proj, 'tasks', 'lessons.md'), 'my lessons\n');
    const r = runCli(['postmortem', '--source', 'claude', '--claude-dir', claude, '--team', 't1', '--out', '.'], { cwd: proj });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to write .*proj: it already exists and is not empty/);
    expect(readdirSync(join(proj, 'tasks'))).toEqual(['lessons.md']);
    expect(readFileSync(join(proj, 'tasks', 'lessons.md'), 'utf8')).toBe('my lessons\n');
  });

  it('--out a link (even to an empty directory) is refused; an empty real directory is used', () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    symlinkSync(empty, join(base, 'link'));
    const linked = postmortem(['--out', join(base, 'link')]);
    expect(linked.status).toBe(1);
    expect(linked.stderr).toMatch(/link: it already exists \(a symbolic link\)/);
    expect(readdirSync(empty)).toEqual([]);
    const r = postmortem(['--out', empty]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(empty, 'postmortem.md'))).toBe(true);
  });
});

describe('what a copy takes', () => {
  it('a state file over 1 GiB (sparse) is left out of the report and named in it; the report is written', () => {
    writeFileSync(join(dir, 'events.jsonl'), '');
    truncateSync(join(dir, 'events.jsonl'), 1024 * 1024 * 1024 + 1);
    const out = join(base, 'rep');
    const r = postmortem(['--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'events.jsonl'))).toBe(false);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { notes: string[] };
    expect(summary.notes.join('\n')).toMatch(/events\.jsonl was left out of the copies \(1073741825 bytes, over the 1073741824-byte copy limit/);
  });

  it('a hard link to a file elsewhere is not copied into a report or an archive', () => {
    writeFileSync(join(victim, 'secret'), 'TOP SECRET\n');
    linkSync(join(victim, 'secret'), join(dir, 'events.jsonl.bak'));
    linkSync(join(victim, 'summary.json'), join(dir, 'notes.txt'));
    writeFileSync(join(dir, 'events.jsonl'), '');
    const out = join(base, 'rep');
    expect(postmortem(['--out', out]).status).toBe(0);
    for (const f of readdirSync(out)) if (f !== 'git-log.txt') expect(readFileSync(join(out, f), 'utf8')).not.toContain('TOP SECRET');
    const a = runCli(['act', 'abort', '--yes', '--team', 'crew', '--root', root]);
    expect(a.status, a.stderr).toBe(0);
    const archive = readdirSync(root).find((n) => n.startsWith('crew.ABORTED-'))!;
    expect(readdirSync(join(root, archive))).not.toContain('notes.txt');
    expect(readdirSync(join(root, archive))).not.toContain('events.jsonl.bak');
  });

  it('an archive copies a file whose name is not UTF-8 byte for byte (and the abort completes once)', () => {
    const odd = Buffer.concat([Buffer.from(join(dir, 'notes-')), Buffer.from([0xff]), Buffer.from('.txt')]);
    writeFileSync(odd, 'x');
    const a = runCli(['act', 'abort', '--yes', '--team', 'crew', '--root', root]);
    expect(a.status, a.stderr).toBe(0);
    const archive = readdirSync(root).find((n) => n.startsWith('crew.ABORTED-'))!;
    const names = readdirSync(join(root, archive), { encoding: 'buffer' });
    expect(names.some((n) => n.equals(Buffer.concat([Buffer.from('notes-'), Buffer.from([0xff]), Buffer.from('.txt')])))).toBe(true);
    expect(runCli(['act', 'abort', '--yes', '--team', 'crew', '--root', root]).stderr).toMatch(/already aborted/);
  });

  it('an abort through a state root reached by a link completes (the link is the user\'s choice)', () => {
    symlinkSync(root, join(base, 'link'));
    const a = runCli(['act', 'abort', '--yes', '--team', 'crew', '--root', join(base, 'link')]);
    expect(a.status, a.stderr).toBe(0);
    expect(readdirSync(root).filter((n) => n.startsWith('crew.ABORTED-'))).toHaveLength(1);
  });

  it('a Claude Code team whose records directory is a file: the report is written, the log counted as absent', () => {
    const claude = join(base, 'claude');
    mkdirSync(join(claude, 'teams', 't1', 'inboxes'), { recursive: true });
    writeFileSync(join(claude, 'teams', 't1', 'config.json'), JSON.stringify({ name: 't1', leadAgentId: 'lead@t1', members: [{ name: 'lead', agentId: 'lead@t1' }] }));
    writeFileSync(join(claude, 'teams', 't1', 'inboxes', 'lead.json'), '[]');
    writeFileSync(join(claude, 'teams', 't1', 'teamtop'), 'x');
    const r = runCli(['postmortem', '--claude-dir', claude, '--team', 't1', '--out', join(base, 'rep')]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(base, 'rep', 'postmortem.md'))).toBe(true);
  });
});
