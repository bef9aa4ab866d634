// Runs the built program (bin/teamtop.js) as a user would, without a TTY.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(PROJECT, 'bin', 'teamtop.js');

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: opts.cwd ?? PROJECT,
    env: { ...process.env, ...opts.env },
    input: opts.input ?? '',
    timeout: 60_000,
  });
}
