// How the CLI finds a format: every on-disk format registers one entry here (its folder under
// src/sources/ holds the rest). Nothing outside src/sources/ imports a format's folder.
import type { StateSource } from './source.js';

/** What a format's interactive demo made: directories to remove after, and when they are ready. */
export interface DemoExtras {
  dirs: string[];
  /** Settles when everything is built; the TUI waits for it before it takes a key. */
  ready: Promise<void>;
}

export interface SourceOptions {
  now?: () => number;
  /** Index large mailboxes after the first frame (the TUI); headless commands wait for it. */
  background?: boolean;
  /** A repository and base ref given on the command line, for formats that name none. */
  repo?: string;
  baseRef?: string;
  /** teamtop's own state directory (kept copies of teams): a demo keeps its own. */
  stateDir?: string;
  /** The environment tmux is asked in (which server): a demo's asks none, its panes are samples. */
  tmuxEnv?: NodeJS.ProcessEnv;
}

/** Something that keeps a demo copy alive (heartbeats, messages), when the format has one. */
export interface Simulator {
  start(): void;
  stop(): void;
}

export interface SourceFormat {
  /** What --source takes. */
  id: string;
  /** One line for --help. */
  summary: string;
  /** How help and errors name this format's teams ("Claude Code"). */
  teamsLabel?: string;
  /** The format names no repository of its own: --repo and --base-ref give the one an abort rolls back. */
  repoOptions?: boolean;
  open(root: string, opts: SourceOptions): StateSource;
  /** Whether a directory looks like this format's root (then --source may be left out). */
  detect?(dir: string): Promise<boolean>;
  /** The root when none is given. */
  defaultRoot(env: NodeJS.ProcessEnv): string;
  /** This format's root in a copy of demo-state/. */
  demoRoot(demoDir: string): string;
  /** What the demo copy needs besides shifting ISO times to now. */
  demo?: {
    /** Fields holding epoch milliseconds, shifted too. */
    epochKeys?: string[];
    /** String fields holding JSON, whose times are shifted too. */
    jsonStringKeys?: string[];
    /** Run on this format's root in the copy, after shifting (e.g. to age file times). */
    afterCopy?(root: string, now: number): Promise<void>;
    /** What the interactive demo adds on top (scratch git repositories for the recovery actions). */
    interactive?(root: string): Promise<DemoExtras>;
  };
  simulator?(root: string): Simulator;
}
