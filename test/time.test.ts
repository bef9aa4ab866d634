// Times in state files (and --at) are ISO 8601 and real: Date.parse alone takes "1" for 2001 and
// rolls 2026-02-30 over to March 2, so a heartbeat with an impossible date passed for a real one.
import { describe, expect, it } from 'vitest';
import { parseIsoTime, toMs } from '../src/model/time.js';
import { teammateSchema } from '../src/model/schemas.js';
import { runCli } from './helpers/cli.js';

describe('parseIsoTime', () => {
  it('takes ISO 8601 dates and date-times, with or without a zone or fraction', () => {
    expect(parseIsoTime('2026-02-28T15:00:00Z')).toBe(Date.UTC(2026, 1, 28, 15));
    expect(parseIsoTime('2026-02-28T15:00:00.123+00:00')).toBe(Date.UTC(2026, 1, 28, 15, 0, 0, 123));
    expect(parseIsoTime('2026-02-28T16:00:00+01:00')).toBe(Date.UTC(2026, 1, 28, 15));
    expect(parseIsoTime('2026-02-28')).toBe(Date.UTC(2026, 1, 28));
    expect(parseIsoTime('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    // RFC 3339's other spellings: a lowercase t and z, a space, a comma, a space before the zone.
    expect(parseIsoTime('2026-02-28t15:00:00z')).toBe(Date.UTC(2026, 1, 28, 15));
    expect(parseIsoTime('2026-02-28 15:00:00,5+00:00')).toBe(Date.UTC(2026, 1, 28, 15, 0, 0, 500));
    expect(parseIsoTime('2026-02-28 15:00:00 +00:00')).toBe(Date.UTC(2026, 1, 28, 15));
  });

  it('refuses dates that do not exist, times past 23:59:59 and what is not ISO 8601', () => {
    for (const s of ['2026-02-29T00:00:00Z', '2026-02-30T00:00:00Z', '2026-04-31', '2026-13-01T00:00:00Z', '2026-00-10',
      '2026-02-28T24:00:00Z', '2026-02-28T23:60:00Z', '2026-02-28T23:59:60Z', '1', 'Mon, 01 Jan 2024', 'yesterday', '']) {
      expect(parseIsoTime(s), s).toBeNaN();
      expect(toMs(s), s).toBeNull();
    }
  });

  it('a teammate whose heartbeat is an impossible date is refused with the reason', () => {
    const r = teammateSchema.safeParse({ id: 'tm_a', last_heartbeat: '2026-02-30T10:00:00Z' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('not an ISO 8601 time');
  });

  it('check --at refuses a date that does not exist', () => {
    const r = runCli(['check', '--demo', '--at', '2026-02-30T00:00:00Z']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not an ISO 8601 time');
  });
});
