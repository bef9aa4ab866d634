// Acknowledged alerts on disk: every source reads them into its snapshot and every writer
// records them, in teamtop's records for the team (alert-acks.json): alert id -> a fingerprint
// of the evidence at the time (the fingerprint itself is the alert layer's business).
import * as z from 'zod';

export const ACKS_FILE = 'alert-acks.json';

export const acksFileSchema = z.looseObject({
  acks: z.record(z.string(), z.looseObject({ evidence: z.string(), at: z.string().optional() })),
});

/** Alert id -> evidence fingerprint at the time it was acknowledged. */
export type AckMap = ReadonlyMap<string, string>;
