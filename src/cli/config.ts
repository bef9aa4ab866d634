// Loading the thresholds (src/model/thresholds.ts): a state root may override the defaults with
// teamtop.config.json, or --config FILE.
import * as z from 'zod';
import { readJsonFile } from '../files/json.js';
import { DEFAULT_THRESHOLDS, thresholdsSchema, type Thresholds } from '../model/thresholds.js';

export const configSchema = z.strictObject({
  thresholds: thresholdsSchema.partial().default({}),
});

export const CONFIG_FILE = 'teamtop.config.json';

export class ConfigError extends Error {}

/** Loads thresholds from `file`; a missing file (when optional) gives the defaults. */
export async function loadThresholds(file: string, optional: boolean): Promise<Thresholds> {
  const r = await readJsonFile(file, configSchema);
  if (r.ok) return thresholdsSchema.parse(r.value.thresholds);
  if (r.missing) {
    if (optional) return DEFAULT_THRESHOLDS;
    throw new ConfigError(`${file}: no such file`);
  }
  throw new ConfigError(`${file}${r.line ? `:${r.line}` : ''}: ${r.message}`);
}
