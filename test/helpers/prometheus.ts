// Prometheus's own tools for the exporter's tests: promtool (check metrics, check rules, test
// rules) and the server itself. .ci/run installs Debian's prometheus package, which has both.
import { execFileSync, spawnSync } from 'node:child_process';

export function hasPrometheus(): boolean {
  return spawnSync('promtool', ['--version']).status === 0 && spawnSync('prometheus', ['--version']).status === 0;
}

export function requirePrometheus(): void {
  if (!hasPrometheus()) throw new Error('promtool and prometheus are required for the exporter tests (.ci/run installs Debian\'s prometheus package)');
}

/** `promtool check metrics` on `text`: its exit code and what it said. */
export function promtoolCheckMetrics(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

export function promtool(args: string[], cwd: string): string {
  return execFileSync('promtool', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * The samples of an exposition, by a strict reading of the text format's grammar: every line is a
 * comment, `# EOF`, or `name{label="escaped value",…} number`. Throws on any other line.
 */
export function samples(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const out: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ') || line === '# EOF') continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}
