// Measures how many columns tmux draws each of a list of strings in (scripts/width-probe.mjs in a
// pane of a private tmux server). Used by scripts/width-sweep.mjs and the tests that check that
// what teamtop puts on screen is drawn as wide as it was laid out.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./width-probe.mjs', import.meta.url));

/** The width tmux draws each string in, in order. */
export async function measureInTmux(strings, { timeoutMs = 120_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'teamtop-width-'));
  const server = `teamtop-width-${process.pid}`;
  const tmux = (...args) => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const input = join(dir, 'strings.json');
    const output = join(dir, 'widths.json');
    writeFileSync(input, JSON.stringify(strings));
    const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
    tmux('-f', '/dev/null', 'new-session', '-d', '-x', '200', '-y', '5',
      `${q(process.execPath)} ${q(PROBE)} ${q(input)} ${q(output)} 2>${q(join(dir, 'stderr'))}; sleep 60`);
    const end = Date.now() + timeoutMs;
    while (!existsSync(output)) {
      if (Date.now() > end) throw new Error(`width probe: no answer in ${timeoutMs} ms (${existsSync(join(dir, 'stderr')) ? readFileSync(join(dir, 'stderr'), 'utf8') : ''})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // The file is written in one call; read it once it parses.
    for (;;) {
      try {
        const widths = JSON.parse(readFileSync(output, 'utf8'));
        if (widths.length !== strings.length) throw new Error(`width probe: ${widths.length} answers for ${strings.length} strings`);
        return widths;
      } catch (e) {
        if (!(e instanceof SyntaxError) || Date.now() > end) throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  } finally {
    try { tmux('kill-server'); } catch { /* gone already */ }
    rmSync(dir, { recursive: true, force: true });
  }
}
