#!/usr/bin/env node
// The real oh-my-claudecode package, for the fixture builder and the opt-in tests against it:
// `npm pack` of the pinned version, unpacked into a cache directory (never a dependency of
// teamtop: the package is ~60 MB). Its team mode needs no npm install: dist/team/ and the `omc`
// CLI bundle import no third-party module. Also writes an `omc` launcher into <cache>/bin.
//   node scripts/omc-package.mjs        prints the package directory (fetching it once)
// TEAMTOP_OMC_CACHE overrides the cache directory (default: ~/.cache/teamtop/omc).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const OMC_PACKAGE = 'oh-my-claude-sisyphus';
export const OMC_VERSION = '5.5.0';

export function omcCache() {
  return process.env.TEAMTOP_OMC_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'teamtop', 'omc');
}

/** The unpacked package directory and the directory holding an `omc` launcher for it. */
export function omcPackage() {
  const base = join(omcCache(), OMC_VERSION);
  const pkg = join(base, 'package');
  const bin = join(base, 'bin');
  if (!existsSync(join(pkg, 'dist', 'team', 'team-ops.js'))) {
    const tmp = `${base}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    execFileSync('npm', ['pack', `${OMC_PACKAGE}@${OMC_VERSION}`, '--silent'], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${OMC_PACKAGE}@${OMC_VERSION} made no tarball`);
    execFileSync('tar', ['xzf', tgz], { cwd: tmp });
    rmSync(join(tmp, tgz));
    rmSync(base, { recursive: true, force: true });
    renameSync(tmp, base);
  }
  if (!existsSync(join(bin, 'omc'))) {
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'omc'), `#!/bin/sh\nexec "${process.execPath}" "${join(pkg, 'bin', 'oh-my-claudecode.js')}" "$@"\n`);
    chmodSync(join(bin, 'omc'), 0o755);
  }
  return { pkg, bin, version: OMC_VERSION };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${omcPackage().pkg}\n`);
}
