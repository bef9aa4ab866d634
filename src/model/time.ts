// Times read from state files (epoch milliseconds a Date can hold), and human-readable times
// for panes and summaries.

/** The largest distance from the epoch a Date can hold (ms): beyond it, no time can be shown. */
export const MAX_TIME_MS = 8.64e15;

/** Whether `v` is epoch milliseconds a Date can hold. */
export function isTimeMs(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_TIME_MS;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?: ?(?:Z|z|[+-]\d{2}(?::?\d{2})?))?)?$/;

/**
 * An ISO 8601 date or date-time as epoch milliseconds, or NaN. Stricter than Date.parse, which
 * takes "1" for the year 2001, "Mon, 01 Jan 2024", and rolls 2026-02-30 over to March 2: a
 * date that does not exist, or a time past 23:59:59, is not a time.
 */
export function parseIsoTime(s: string): number {
  const m = ISO.exec(s.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, sec] = m;
  const month = Number(mo);
  const days = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (month < 1 || month > 12 || Number(d) < 1 || Number(d) > days) return NaN;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (sec !== undefined && Number(sec) > 59))) return NaN;
  // Date.parse reads the RFC 3339 forms it does not take as they are: t, a comma, a space before the zone.
  return Date.parse(s.trim().replace(',', '.').replace(/^(\S{10})t/, '$1T').replace(/ ([zZ+-])/, '$1'));
}

/** Epoch milliseconds, or null when absent, unparseable or out of Date's range. */
export function toMs(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return isTimeMs(v) ? v : null;
  const ms = parseIsoTime(v);
  return Number.isNaN(ms) ? null : ms;
}

/** "45s", "12m", "1h05m", "3d04h". Negative ages (clock skew) read as "0s". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  const d = Math.floor(h / 24);
  return `${d}d${String(h % 24).padStart(2, '0')}h`;
}

/** HH:MM:SS in local time. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** "20260228T145000Z": a timestamp usable in file names and refs. */
export function stampOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** The time of a stamp ("20260228T145000Z", or without seconds "20260228T1450Z"), or null. */
export function stampTime(stamp: string): number | null {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)?Z$/.exec(stamp);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isFinite(ms) ? ms : null;
}
