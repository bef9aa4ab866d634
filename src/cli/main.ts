// Entry point: dispatches to the TUI or a headless command; usage errors exit 2 with one line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { RootError } from '../sources/source.js';
import { packageRoot } from '../demo/prepare.js';
import { ConfigError } from './config.js';
import { writeLog } from './log.js';
import { UnsafePathError } from '../files/guard.js';
import { sanitize } from '../safety/sanitize.js';
import { alignOptions } from './help.js';

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--version')) {
    process.stdout.write(`teamtop ${version()}\n`);
    return 0;
  }
  // Each command loads only its own modules: the monitor starts faster without the report code,
  // and the headless commands without Ink.
  const sub = argv[0];
  const help = argv.includes('--help') || argv.includes('-h');
  const rest = argv.slice(1);
  switch (sub) {
    case 'check': {
      const m = await import('./check.js');
      return help ? usage(m.CHECK_USAGE) : m.runCheck(rest);
    }
    case 'act': {
      const m = await import('./act.js');
      return help ? usage(m.ACT_USAGE) : m.runAct(rest);
    }
    case 'postmortem': {
      const m = await import('./postmortem.js');
      return help ? usage(m.POSTMORTEM_USAGE) : m.runPostmortem(rest);
    }
    case 'serve': {
      const m = await import('./serve.js');
      return help ? usage(m.SERVE_USAGE) : m.runServe(rest);
    }
    case 'lessons': {
      const m = await import('./lessons.js');
      return help ? usage(m.LESSONS_USAGE) : m.runLessons(rest);
    }
    default: {
      const m = await import('./tui.js');
      return help ? usage(m.TUI_USAGE) : m.runTui(argv);
    }
  }
}

function usage(text: string): number {
  process.stdout.write(alignOptions(text) + '\n');
  return 0;
}

/** Node's parser messages, as one line that points to the command's help. */
function parseError(e: { code?: string; message: string }, argv: readonly string[]): string {
  const cmd = ['check', 'act', 'postmortem', 'lessons', 'serve'].includes(argv[0] ?? '') ? `teamtop ${argv[0]}` : 'teamtop';
  const unknown = /Unknown option '([^']+)'/.exec(e.message);
  const missing = /Option '([^' ]+)[^']*' argument missing/.exec(e.message);
  const what = unknown ? `unknown option ${unknown[1]}`
    : missing ? `${missing[1]} needs a value`
    : e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' ? `unexpected argument${/'([^']*)'/.exec(e.message) ? ` ${/'([^']*)'/.exec(e.message)![1]}` : ''}`
    : e.message.split('\n')[0]!.replace(/\. To specify.*$/, '');
  return `${cmd}: ${sanitize(what)} (see ${cmd} --help)`;
}

// A reader that goes away (`teamtop check | head -c 10`) closes the pipe: the next write fails with
// EPIPE, which Node emits as an 'error' event on the stream and, unheard, turns into an uncaught
// exception with a stack trace. Output nobody reads is simply dropped instead (the stream is
// destroyed, so later writes are no-ops): the command finishes at once, quietly, with its own exit
// code. Any other error on these streams goes on as before (uncaught; the TUI's crash path).
function dropOutputOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}
dropOutputOnClosedPipe(process.stdout);
dropOutputOnClosedPipe(process.stderr);

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${parseError(e as Error & { code: string }, process.argv.slice(2))}\n`);
      process.exitCode = 2;
      return;
    }
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof RootError) {
      process.stderr.write(`teamtop: ${(e as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    if (e instanceof UnsafePathError) {
      // A write refused at the boundary (a link or a FIFO where a report or lesson would go).
      process.stderr.write(`teamtop: ${sanitize(e.message)}\n`);
      process.exitCode = 1;
      return;
    }
    const log = writeLog(e instanceof Error ? e.stack ?? e.message : String(e));
    process.stderr.write(`teamtop: internal error: ${e instanceof Error ? e.message : String(e)}${log ? `\nthe stack trace is in ${log}` : ''}\n`);
    process.exitCode = 1;
  },
);
