import { describe, expect, it } from 'vitest';
import { context } from '../../src/alerts/detectors/context.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { team, teammate } from '../helpers/model.js';

const run = (used: number, max = 1000) => context({ team: team({ teammates: [teammate({ id: 'tm', contextUsed: used, contextMax: max })] }), now: 0, thresholds: DEFAULT_THRESHOLDS });

describe('context use', () => {
  it.each([[799, []], [800, ['context-high']], [949, ['context-high']], [950, ['context-exhausted']], [1000, ['context-exhausted']]])('%i/1000 → %j', (used, kinds) => {
    expect(run(used as number).map((a) => a.kind)).toEqual(kinds);
  });
  it('94.9 % is high, 95 % is exhausted (critical)', () => {
    expect(run(94_900, 100_000)[0]).toMatchObject({ kind: 'context-high', severity: 'medium' });
    expect(run(95_000, 100_000)[0]).toMatchObject({ kind: 'context-exhausted', severity: 'critical' });
  });
  it('ignores teammates without figures', () => {
    expect(context({ team: team({ teammates: [teammate({ id: 'x' })] }), now: 0, thresholds: DEFAULT_THRESHOLDS })).toEqual([]);
  });
});
