// Types for scripts/width-tmux.mjs.
export function measureInTmux(strings: string[], opts?: { timeoutMs?: number }): Promise<number[]>;
