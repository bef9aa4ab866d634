// Demo mode: copy the bundled demo-state to a temporary directory and shift every timestamp so
// that the moment the samples were written for (DEMO_EPOCH) becomes now. The bundled files never
// change.
import { copyFileSync, existsSync, mkdirSync, promises as fsp, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMATS } from '../sources/index.js';

export const DEMO_EPOCH = Date.parse('2026-02-28T15:00:00Z');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The installed package's root (where demo-state/ lives), from this module's location. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'teamtop') return dir;
      } catch {
        // keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the teamtop package root');
    dir = up;
  }
}

/** What the formats' demo files hold besides ISO strings (see SourceFormat.demo). */
const EPOCH_KEYS = new Set(FORMATS.flatMap((f) => f.demo?.epochKeys ?? []));
const JSON_KEYS = new Set(FORMATS.flatMap((f) => f.demo?.jsonStringKeys ?? []));

export function shiftValue(v: unknown, delta: number, key?: string): unknown {
  if (typeof v === 'string') {
    if (ISO.test(v)) {
      const ms = Date.parse(v);
      return Number.isNaN(ms) ? v : new Date(ms + delta).toISOString().replace(/\.000Z$/, 'Z');
    }
    // JSON inside a string field (a format's protocol messages): shift its times too.
    if (key !== undefined && JSON_KEYS.has(key) && v.startsWith('{')) {
      try {
        return JSON.stringify(shiftValue(JSON.parse(v), delta));
      } catch {
        return v;
      }
    }
    return v;
  }
  if (typeof v === 'number' && key && EPOCH_KEYS.has(key)) return v + delta;
  if (Array.isArray(v)) return v.map((x) => shiftValue(x, delta));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shiftValue(x, delta, k)]));
  }
  return v;
}

/**
 * Copies `from` into `to`, shifting the times in JSON and JSON-lines files. Synchronous on
 * purpose: a few dozen small files, copied while the interface loads; awaiting each file operation
 * would wait on the module loading for every one of them.
 */
function copyShifted(from: string, to: string, delta: number): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, e.name);
    const dst = join(to, e.name);
    if (e.isDirectory()) copyShifted(src, dst, delta);
    else if (e.name.endsWith('.json')) {
      const v = JSON.parse(readFileSync(src, 'utf8')) as unknown;
      writeFileSync(dst, JSON.stringify(shiftValue(v, delta), null, 2) + '\n');
    } else if (e.name.endsWith('.jsonl')) {
      const lines = readFileSync(src, 'utf8').split('\n').filter((l) => l.trim() !== '');
      writeFileSync(dst, lines.map((l) => JSON.stringify(shiftValue(JSON.parse(l), delta))).join('\n') + '\n');
    } else if (e.isFile()) {
      copyFileSync(src, dst);
    }
  }
}

/** Copies demo-state to a new temp directory, shifted to `now`. Returns the copy's path. */
export async function prepareDemo(now = Date.now(), source = join(packageRoot(), 'demo-state')): Promise<string> {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'teamtop-demo-'));
  copyShifted(source, dir, now - DEMO_EPOCH);
  for (const f of FORMATS) await f.demo?.afterCopy?.(f.demoRoot(dir), now);
  return dir;
}
