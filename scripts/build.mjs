#!/usr/bin/env node
// The build: one esbuild bundle of the program in dist/ (code-split, so each command still loads
// only its own modules). Node then reads a few files instead of resolving ~400 modules of teamtop,
// Ink, React and their dependencies, which is most of the time to the first frame.
// Type checking is `npm run typecheck` (run by `npm run lint`, so CI checks both).
//   node scripts/build.mjs            build
//   node scripts/build.mjs --if-stale build only when a source is newer than the bundle
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(ROOT, 'dist', 'main.js');

/**
 * esbuild options shared by the program and by tests or benchmarks that need internal modules
 * bundled the same way.
 */
export function bundleOptions(entryPoints, outdir) {
  return {
    entryPoints, outdir, absWorkingDir: ROOT,
    bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    jsx: 'automatic',
    // React picks its production build at load time from NODE_ENV; fixing it here also drops the
    // development builds from the bundle (bin/teamtop.js sets NODE_ENV as well, for anything else).
    define: { 'process.env.NODE_ENV': '"production"' },
    // Ink loads react-devtools-core only when DEV=true; it is not installed.
    external: ['react-devtools-core'],
    // CommonJS dependencies (proper-lockfile, signal-exit…) call require() for Node's built-ins.
    banner: { js: "import { createRequire as __teamtopRequire } from 'node:module'; const require = __teamtopRequire(import.meta.url);" },
    legalComments: 'linked',
    logLevel: 'warning',
  };
}

/** Newest modification time of the files the bundle is built from. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'components'));
  // The patches to dependencies change what is bundled from node_modules.
  walk(join(ROOT, 'patches'));
  for (const f of ['package.json', 'package-lock.json', 'scripts/build.mjs']) {
    if (existsSync(join(ROOT, f))) newest = Math.max(newest, statSync(join(ROOT, f)).mtimeMs);
  }
  return newest;
}

export async function buildProgram() {
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  await build(bundleOptions(['src/cli/main.ts'], join(ROOT, 'dist')));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= newestSource()) {
    process.stdout.write('teamtop: dist/ is up to date\n');
  } else {
    await buildProgram();
  }
}
