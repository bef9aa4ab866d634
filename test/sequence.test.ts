// Sequence allocation: the next sequence is 1 + the largest of every sequence in mailbox.jsonl
// and teamtop's counter — whatever sits at the end of the file, however the counter was left —
// and allocation stops with a clear refusal rather than reuse a number past 2^53.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { iso, removeDir, tempDir, writeTeam } from './helpers/state.js';

let root: string;
let dir: string;
const now = Date.now();
beforeEach(() => {
  root = tempDir('teamtop-seq-');
  dir = writeTeam(root, 'crew', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
    teammates: [{ id: 'tm_a', status: 'active', last_heartbeat: iso(now) }],
    mailbox: [{ sequence: 7, timestamp: iso(now), from: 'lead', to: 'tm_a', type: 'message' }],
  });
});
afterEach(() => removeDir(root));

const wake = () => runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root]);
const sequences = (): Array<number | null> => readFileSync(join(dir, 'mailbox.jsonl'), 'utf8').trim().split('\n')
  .map((l) => { try { return (JSON.parse(l) as { sequence?: number }).sequence ?? null; } catch { return null; } });

describe('the next sequence', () => {
  it('is above every sequence even behind more than 16 MiB of lines without one', () => {
    const junk = JSON.stringify({ note: 'x'.repeat(1000) }) + '\n';
    appendFileSync(join(dir, 'mailbox.jsonl'), junk.repeat(17 * 1024));
    const r = wake();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('applied (message sequence 8)');
  });

  it('a counter holding 1e999 (or junk) is rebuilt from the file, never written as null', () => {
    for (const bad of ['1e999', 'NaN', '-4', '"seven"', '{"max": 1e999}', '12.5', '{']) {
      writeFileSync(join(dir, '.mailbox.seq'), bad);
      const before = Math.max(...sequences().filter((s): s is number => s !== null));
      const r = wake();
      expect(r.status, `${bad}: ${r.stderr}`).toBe(0);
      expect(sequences().at(-1), bad).toBe(before + 1);
      const counter = JSON.parse(readFileSync(join(dir, '.mailbox.seq'), 'utf8')) as { max: number };
      expect(counter.max).toBe(before + 1);
    }
  });

  it('a valid counter above the file still counts (numbers teamtop handed out are never reused)', () => {
    writeFileSync(join(dir, '.mailbox.seq'), '40\n');
    expect(wake().stdout).toContain('sequence 41');
    expect(wake().stdout).toContain('sequence 42');
  });

  it('sees a higher sequence written in place before where it last scanned (same inode, same length)', () => {
    expect(wake().stdout).toContain('sequence 8');
    const text = readFileSync(join(dir, 'mailbox.jsonl'), 'utf8');
    writeFileSync(join(dir, 'mailbox.jsonl'), text.replace('"sequence":7,', '"sequence":9,'));
    expect(wake().stdout).toContain('sequence 10');
  });

  it('stops with a clear refusal at Number.MAX_SAFE_INTEGER instead of handing out a number twice', () => {
    appendFileSync(join(dir, 'mailbox.jsonl'), JSON.stringify({ sequence: Number.MAX_SAFE_INTEGER - 1, timestamp: iso(now), from: 'lead', to: 'tm_a', type: 'message' }) + '\n');
    const first = wake();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`sequence ${Number.MAX_SAFE_INTEGER}`);
    const lines = sequences().length;
    const second = wake();
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/beyond Number\.MAX_SAFE_INTEGER/);
    expect(second.stderr.trim().split('\n').filter((l) => l.startsWith('failed') || l.startsWith('refused'))).toHaveLength(1);
    expect(sequences()).toHaveLength(lines);
  });

  it('refuses when the file holds a sequence beyond 2^53 (which no reader can tell apart)', () => {
    appendFileSync(join(dir, 'mailbox.jsonl'), '{"sequence": 9007199254740993, "from": "tm_a", "to": "lead", "type": "message"}\n');
    const r = wake();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/holds sequence 9007199254740992 .*beyond Number\.MAX_SAFE_INTEGER/);
  });

  it('a fractional, negative or zero sequence neither blocks allocation nor raises the count', () => {
    for (const bad of ['0.5', '-3', '0', '7.25', '1e-9']) {
      appendFileSync(join(dir, 'mailbox.jsonl'), `{"sequence":${bad},"from":"tm_a","to":"lead","type":"message"}\n`);
    }
    const r = wake();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('applied (message sequence 8)');
  });

  it('counts a sequence whose key is written with \\u escapes (what every JSON reader sees)', () => {
    appendFileSync(join(dir, 'mailbox.jsonl'), '{"seq\\u0075ence":20,"from":"tm_a","to":"lead","type":"message"}\n');
    expect(wake().stdout).toContain('applied (message sequence 21)');
    const r = runCli(['check', '--root', root, '--json']);
    const alerts = (JSON.parse(r.stdout) as { teams: Array<{ alerts: Array<{ kind: string; summary: string }> }> }).teams[0]!.alerts;
    expect(alerts.filter((a) => a.kind === 'invalid-state')).toEqual([]);
  });

  it('an abort whose final message cannot get a sequence is refused before anything is written', () => {
    appendFileSync(join(dir, 'mailbox.jsonl'), '{"sequence": 9007199254740993, "from": "tm_a", "to": "lead", "type": "message"}\n');
    const before = readFileSync(join(dir, 'team.json'), 'utf8');
    const r = runCli(['act', 'abort', '--yes', '--team', 'crew', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^refused: .*beyond Number\.MAX_SAFE_INTEGER/m);
    expect(readFileSync(join(dir, 'team.json'), 'utf8')).toBe(before);
    expect(readdirSync(root).filter((n) => n.includes('ABORTED'))).toEqual([]);
  });

  it('counts a sequence on a line with a byte order mark', () => {
    writeFileSync(join(dir, 'mailbox.jsonl'), '\ufeff' + JSON.stringify({ sequence: 30, timestamp: iso(now), from: 'lead', to: 'tm_a', type: 'message' }) + '\n');
    expect(wake().stdout).toContain('sequence 31');
  });
});

describe('duplicates', () => {
  it('duplicate sequences in the mailbox raise invalid-state', () => {
    appendFileSync(join(dir, 'mailbox.jsonl'), JSON.stringify({ sequence: 7, timestamp: iso(now), from: 'tm_a', to: 'lead', type: 'message' }) + '\n');
    const r = runCli(['check', '--root', root, '--json']);
    const alerts = (JSON.parse(r.stdout) as { teams: Array<{ alerts: Array<{ kind: string; summary: string }> }> }).teams[0]!.alerts;
    expect(alerts.some((a) => a.kind === 'invalid-state' && /duplicate/i.test(a.summary) && /7/.test(a.summary))).toBe(true);
  });
});
