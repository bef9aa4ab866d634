// The native team-state format's registration (docs/state-format.md).
import { resolve } from 'node:path';
import type { SourceFormat } from '../format-registry.js';
import { NativeSource } from './source.js';
import { DemoSimulator } from './simulator.js';
import { makeDemoRepos } from './demo-repos.js';

export const NATIVE: SourceFormat = {
  id: 'native',
  summary: 'native (the team-state format: a root holding one directory per team)',
  open: (root, o) => new NativeSource(root, o.now, { background: o.background }),
  defaultRoot: (env) => resolve(env.TEAMTOP_STATE ?? '.team-state'),
  demoRoot: (demoDir) => demoDir,
  demo: { interactive: makeDemoRepos },
  simulator: (root) => new DemoSimulator(root),
};
