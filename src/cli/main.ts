// Entry point: dispatches to the TUI or a headless command; usage errors exit 2 with one line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { runTui, TUI_USAGE } from './tui.js';
import { runCheck, CHECK_USAGE } from './check.js';
import { runAct, ACT_USAGE } from './act.js';
import { runPostmortem, POSTMORTEM_USAGE } from './postmortem.js';
import { runLessons, LESSONS_USAGE } from './lessons.js';
import { RootError } from '../sources/source.js';
import { packageRoot } from '../demo/prepare.js';
import { ConfigError } from '../alerts/config.js';
import { writeLog } from './log.js';

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--version')) {
    process.stdout.write(`teamtop ${version()}\n`);
    return 0;
  }
  const sub = argv[0];
  const help = argv.includes('--help') || argv.includes('-h');
  if (sub === 'check') {
    if (help) { process.stdout.write(CHECK_USAGE + '\n'); return 0; }
    return runCheck(argv.slice(1));
  }
  if (sub === 'act') {
    if (help) { process.stdout.write(ACT_USAGE + '\n'); return 0; }
    return runAct(argv.slice(1));
  }
  if (sub === 'postmortem') {
    if (help) { process.stdout.write(POSTMORTEM_USAGE + '\n'); return 0; }
    return runPostmortem(argv.slice(1));
  }
  if (sub === 'lessons') {
    if (help) { process.stdout.write(LESSONS_USAGE + '\n'); return 0; }
    return runLessons(argv.slice(1));
  }
  if (help) {
    process.stdout.write(TUI_USAGE + '\n');
    return 0;
  }
  return runTui(argv);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof RootError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`teamtop: ${(e as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    const log = writeLog(e instanceof Error ? e.stack ?? e.message : String(e));
    process.stderr.write(`teamtop: internal error: ${e instanceof Error ? e.message : String(e)}${log ? `\nthe stack trace is in ${log}` : ''}\n`);
    process.exitCode = 1;
  },
);
