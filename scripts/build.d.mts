// Types for scripts/build.mjs, for the tests and benchmarks that bundle internal modules with it.
import type { BuildOptions } from 'esbuild';
export const BUNDLE: string;
export function bundleOptions(entryPoints: string[], outdir: string): BuildOptions;
export function buildProgram(): Promise<void>;
