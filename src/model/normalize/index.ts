/** Normalization: raw resources (any input shape) → a validated, canonical `Snapshot` plus diagnostics. Pure. */
export { SnapshotBuilder, type ImportOutcome } from './builder';
export type { RawResource, JsonObject, TemplateOrigin } from './raw';
export { DEFAULT_SECURITY_RULES } from './security-rules';
