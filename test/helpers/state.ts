// Builds state roots on disk for tests, written from docs/state-format.md.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TeamFiles {
  team?: unknown;
  teammates?: unknown;
  manifest?: unknown;
  mailbox?: unknown[] | string;
  events?: unknown[];
  checkpoints?: Record<string, unknown>;
}

export function tempDir(prefix = 'teamtop-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTeam(root: string, id: string, f: TeamFiles): string {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  const json = (name: string, v: unknown): void => writeFileSync(join(dir, name), JSON.stringify(v, null, 2) + '\n');
  if (f.team !== undefined) json('team.json', f.team);
  if (f.teammates !== undefined) json('teammates.json', f.teammates);
  if (f.manifest !== undefined) json('team-manifest.json', f.manifest);
  if (f.mailbox !== undefined) {
    writeFileSync(join(dir, 'mailbox.jsonl'), typeof f.mailbox === 'string' ? f.mailbox : f.mailbox.map((m) => JSON.stringify(m) + '\n').join(''));
  }
  if (f.events !== undefined) writeFileSync(join(dir, 'events.jsonl'), f.events.map((e) => JSON.stringify(e) + '\n').join(''));
  if (f.checkpoints) {
    mkdirSync(join(dir, 'checkpoints'), { recursive: true });
    for (const [name, v] of Object.entries(f.checkpoints)) writeFileSync(join(dir, 'checkpoints', name), JSON.stringify(v, null, 2));
  }
  return dir;
}

export function removeDir(dir: string): void {
  // Retried: a program under test that was just killed may still be finishing a write there.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

export const iso = (ms: number): string => new Date(ms).toISOString();
