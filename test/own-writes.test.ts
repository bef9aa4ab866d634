// teamtop's record of its own writes (records.ts OWN_WRITES_FILE): bounded, newest kept.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWN_WRITES_FILE, RecordsStore, type OwnWrites } from '../src/sources/records.js';
import { removeDir, tempDir } from './helpers/state.js';

let dir: string;
afterEach(() => removeDir(dir));

describe('own-writes.json', () => {
  it('keeps the newest 500 task writes by when they were made, numeric task ids too', async () => {
    dir = tempDir('teamtop-own-');
    const records = join(dir, 'records');
    const store = new RecordsStore(() => ({ base: dir, dir: records }), async () => { mkdirSync(records, { recursive: true }); }, () => 0);
    const w = (id: string, mtime: number): Promise<void> => store.ownWrite({ task: { id, mtime, ino: 1, before: null, owner: null } });
    for (let i = 1; i <= 500; i++) await w(String(i), i);
    // Task 7 written again, then one more: the oldest (1) goes, not the one just written.
    await w('7', 1000);
    await w('501', 1001);
    const file = JSON.parse(readFileSync(join(records, OWN_WRITES_FILE), 'utf8')) as OwnWrites;
    expect(file.tasks).toHaveLength(500);
    expect(file.tasks.map((t) => t.id).slice(-2)).toEqual(['7', '501']);
    expect(file.tasks.some((t) => t.id === '1')).toBe(false);
    expect(file.tasks.find((t) => t.id === '7')!.mtime).toBe(1000);
  }, 60_000);
});
