// The context window of a Claude model, from its id: how many tokens a teammate's context can hold
// before Claude Code compacts it. Ids come from transcripts (message.model), e.g.
// "claude-opus-4-7", "claude-sonnet-4-6-20260101", "claude-fable-5-1", "claude-opus-4-7[1m]", and
// from cloud providers with a prefix or suffix ("us.anthropic.claude-opus-4-6-v1:0").

/** The window of every model not known to have a larger one. */
export const DEFAULT_CONTEXT_WINDOW = 200_000;
/** The window of the 1M-context models, and of any id ending in "[1m]". */
export const LARGE_CONTEXT_WINDOW = 1_000_000;

/**
 * Versions with a 1M window, per family (a major alone means major.0). Only these: a newer version
 * is not assumed to have one until it is known (use the overrides meanwhile).
 */
const LARGE_WINDOW_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  fable: ['5.1', '5'],
  mythos: ['5.1', '5', 'preview'],
  opus: ['5.5', '5', '4.8', '4.7', '4.6'],
  sonnet: ['5.5', '5', '4.6'],
  haiku: ['5.5'],
};

/**
 * "claude-<family>-<major>[-<minor>]" or "claude-<family>-preview", anywhere after a separator.
 * The minor has one or two digits and the version must not run on into more digits, so that a date
 * suffix is never read as a minor ("claude-opus-5-20260101" is Opus 5, not 5.20).
 */
const MODEL_ID = /(?:^|[^a-z0-9])claude-(opus|sonnet|haiku|fable|mythos)-(preview|(\d{1,2})(?:-(\d{1,2}))?)(?![0-9])/;

/** "4.6", "5" (for 5 and 5-0), "preview"; null when the id is not a Claude family id. */
function familyVersion(id: string): { family: string; version: string } | null {
  const m = MODEL_ID.exec(id);
  if (!m) return null;
  const family = m[1]!;
  if (m[2] === 'preview') return { family, version: 'preview' };
  const major = Number(m[3]);
  const minor = m[4] === undefined ? 0 : Number(m[4]);
  return { family, version: minor === 0 ? String(major) : `${major}.${minor}` };
}

/**
 * The context window (tokens) of `model`. `overrides` map model-id prefixes to windows (the longest
 * matching prefix wins) and come first; then an id ending in "[1m]" has 1,000,000; then the
 * 1M-context families (Fable 5/5.1, Mythos 5/5.1/Preview, Opus 4.6–4.8/5/5.5, Sonnet 4.6/5/5.5,
 * Haiku 5.5); anything else, and an unknown model (null), has 200,000.
 */
export function contextWindowFor(model: string | null, overrides: Readonly<Record<string, number>> = {}): number {
  if (model === null) return DEFAULT_CONTEXT_WINDOW;
  let best: string | null = null;
  for (const [prefix, tokens] of Object.entries(overrides)) {
    if (!prefix || !(Number.isFinite(tokens) && tokens > 0)) continue;
    if (model.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
  }
  if (best !== null) return overrides[best]!;
  const id = model.trim().toLowerCase();
  if (id.endsWith('[1m]')) return LARGE_CONTEXT_WINDOW;
  const fv = familyVersion(id);
  if (fv && LARGE_WINDOW_VERSIONS[fv.family]?.includes(fv.version)) return LARGE_CONTEXT_WINDOW;
  return DEFAULT_CONTEXT_WINDOW;
}

/**
 * A teammate's context window: its model's, with the configured overrides (thresholds
 * contextWindows) applied; the figure the format gave when there is no model to go by.
 */
export function contextMaxOf(t: { contextMax: number | null; transcript?: { model: string | null } | null }, overrides: Readonly<Record<string, number>> = {}): number | null {
  if (t.contextMax === null || !t.transcript) return t.contextMax;
  return contextWindowFor(t.transcript.model, overrides);
}
