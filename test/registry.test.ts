// The action registry is the one source of the action keys: the keymap, the help, `act --help`
// and the README's action table are generated from it or checked against it here.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_NAMES, ACTIONS } from '../src/actions/registry.js';
import { BINDINGS, helpSections } from '../src/tui/keymap.js';
import { ACT_USAGE } from '../src/cli/act.js';
import { DETECTORS } from '../src/alerts/index.js';
import { PROJECT } from './helpers/cli.js';

/** The README's action table: key, action, what it does. */
function readmeActions(): Array<{ key: string; name: string; help: string }> {
  const text = readFileSync(join(PROJECT, 'README.md'), 'utf8');
  const table = text.split('| key | action | what it does |')[1]!.split('\n\n')[0]!;
  return table.split('\n').slice(2).filter((l) => l.startsWith('|')).map((l) => {
    const [key, name, ...rest] = l.replace(/^\| /, '').replace(/ \|$/, '').split(' | ');
    return { key: key!.replace(/`/g, ''), name: name!, help: rest.join(' | ') };
  });
}

describe('the action registry', () => {
  it('every action with a key has a keymap binding and a help row, with its own description', () => {
    const rows = helpSections(false).flatMap((s) => s.rows);
    for (const name of ACTION_NAMES) {
      const a = ACTIONS[name];
      if (!a.key) continue;
      expect(BINDINGS.find((b) => b.command === `action:${name}`)?.keys).toEqual([{ ch: a.key }]);
      expect(rows).toContainEqual({ keys: a.key, description: `${name}: ${a.keyHelp ?? a.summary}` });
    }
  });

  it('the README\'s action table is the registry: keys, names and what each does', () => {
    const rows = readmeActions();
    const keyed = ACTION_NAMES.filter((n) => ACTIONS[n].key).map((n) => ({ key: ACTIONS[n].key!, name: ACTIONS[n].label ?? n, help: ACTIONS[n].help }));
    expect(rows).toEqual(keyed);
  });

  it('`act --help` lists every action with its arguments and summary', () => {
    for (const name of ACTION_NAMES) {
      const a = ACTIONS[name];
      expect(ACT_USAGE).toContain(`  ${name} ${a.usage}`.trimEnd());
      expect(ACT_USAGE.replace(/\s+/g, ' ')).toContain(a.summary);
    }
  });

  it('names each action in ActionName exactly once, and its module under its own name', () => {
    expect(new Set(ACTION_NAMES).size).toBe(ACTION_NAMES.length);
    for (const name of ACTION_NAMES) expect(ACTIONS[name].name).toBe(name);
    expect(new Set(ACTION_NAMES.map((n) => ACTIONS[n].key).filter(Boolean)).size).toBe(ACTION_NAMES.filter((n) => ACTIONS[n].key).length);
  });

  it('every detector suggests only registered actions', () => {
    const text = DETECTORS.map((d) => d.run.toString()).join('\n');
    for (const m of text.matchAll(/actions: \[([^\]]*)\]/g)) {
      for (const a of m[1]!.split(',').map((x) => x.trim().replace(/['"]/g, '')).filter(Boolean)) {
        expect(ACTION_NAMES, `a detector suggests ${a}`).toContain(a);
      }
    }
  });
});
