// The seams of the house, checked on the code itself: no import cycles (type-only imports
// included); nothing outside src/sources/ imports a format's folder or names a format (only the
// CLI flag that picks one may); sources import neither the action layer nor the alerts.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PROJECT } from './helpers/cli.js';

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(n)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const SOURCES = [...files(join(PROJECT, 'src')), ...files(join(PROJECT, 'components'))];
const rel = (p: string): string => relative(PROJECT, p).split('\\').join('/');

/** Code without comments (strings kept), so a comment never counts as an import or a name. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The project files a module imports (static, re-export and dynamic imports; types included). */
function importsOf(file: string): string[] {
  const text = code(readFileSync(file, 'utf8'));
  const out: string[] = [];
  const re = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const m of text.matchAll(re)) {
    const base = resolve(dirname(file), m[1]!.replace(/\.js$/, ''));
    const hit = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => existsSync(p));
    if (hit) out.push(hit);
  }
  return out;
}

const GRAPH = new Map(SOURCES.map((f) => [f, importsOf(f)]));

describe('architecture', () => {
  it('has no import cycles', () => {
    // Tarjan's strongly connected components; any component of more than one module is a cycle.
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string): void => {
      idx.set(v, index); low.set(v, index); index++;
      stack.push(v); on.add(v);
      for (const w of GRAPH.get(v) ?? []) {
        if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const comp: string[] = [];
        let w: string;
        do { w = stack.pop()!; on.delete(w); comp.push(rel(w)); } while (w !== v);
        if (comp.length > 1 || (GRAPH.get(v) ?? []).includes(v)) cycles.push(comp.sort());
      }
    };
    for (const f of SOURCES) if (!idx.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('nothing outside src/sources/ imports a format\'s folder (only the registry)', () => {
    const bad: string[] = [];
    for (const [f, deps] of GRAPH) {
      if (rel(f).startsWith('src/sources/')) continue;
      for (const d of deps) if (/^src\/sources\/[^/]+\//.test(rel(d))) bad.push(`${rel(f)} -> ${rel(d)}`);
    }
    expect(bad).toEqual([]);
  });

  it('no code outside src/sources/ names a format (but the CLI flag that picks one)', () => {
    const bad: string[] = [];
    for (const f of SOURCES) {
      const r = rel(f);
      if (r.startsWith('src/sources/') || r === 'src/cli/source-opts.ts') continue;
      const text = code(readFileSync(f, 'utf8'));
      // Usage text may mention flags; a quoted format id in code is a branch on the format.
      for (const m of text.matchAll(/['"](native|claude)['"]/g)) bad.push(`${r}: ${m[0]}`);
      if (/\.source\s*[!=]==/.test(text) || /\.kind\s*[!=]==\s*['"](native|claude)/.test(text)) bad.push(`${r}: compares a source`);
    }
    expect(bad).toEqual([]);
  });

  it('layers reach one way: sources import neither actions nor alerts; alerts only the model, ports and safety', () => {
    const bad: string[] = [];
    for (const [f, deps] of GRAPH) {
      const r = rel(f);
      for (const d of deps.map(rel)) {
        if (r.startsWith('src/sources/') && (d.startsWith('src/actions/') || d.startsWith('src/alerts/'))) bad.push(`${r} -> ${d}`);
        if (r.startsWith('src/alerts/') && !/^src\/(alerts|model|ports|safety)\//.test(d)) bad.push(`${r} -> ${d}`);
        if (r.startsWith('src/actions/') && d.startsWith('src/alerts/detectors/')) bad.push(`${r} -> ${d}`);
        if ((r.startsWith('src/model/') || r.startsWith('src/ports/')) && !(d.startsWith('src/model/') || d.startsWith('src/ports/'))) bad.push(`${r} -> ${d}`);
        // Only the CLI (the composition root) loads the components.
        if (r.startsWith('src/') && !r.startsWith('src/cli/') && d.startsWith('components/')) bad.push(`${r} -> ${d}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no product file is much over 300 lines', () => {
    const long = SOURCES.map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 330);
    expect(long).toEqual([]);
  });
});
