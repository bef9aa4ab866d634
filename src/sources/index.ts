// Every format teamtop reads, in the order auto-detection tries them (the first is the default).
// Adding a format: its folder under src/sources/, and one line here.
import type { SourceFormat } from './format-registry.js';
import { NATIVE } from './native/index.js';
import { CLAUDE } from './claude/index.js';
import { OMC } from './omc/index.js';

export const FORMATS: readonly SourceFormat[] = [NATIVE, CLAUDE, OMC];

export function formatById(id: string): SourceFormat | undefined {
  return FORMATS.find((f) => f.id === id);
}

/** The format whose root `dir` looks like, else the default. */
export async function detectFormat(dir: string): Promise<SourceFormat> {
  for (const f of FORMATS) if (f.detect && (await f.detect(dir))) return f;
  return FORMATS[0]!;
}

export type { DemoExtras, SourceFormat, SourceOptions, Simulator } from './format-registry.js';
