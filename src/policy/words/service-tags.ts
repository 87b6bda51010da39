/**
 * Service tags files: the weekly `ServiceTags_Public` JSON download and the Service Tag Discovery
 * API response (same `values[]` shape). Pure: the CLI reads the file.
 */
import { diagnostic, jsonPath, type Diagnostic } from '../../diagnostics';
import { parsePrefix } from '../../net/address';

export interface ServiceTags {
  /** Top-level change number (number in the download, string in the API), as text; null when absent. */
  changeNumber: string | null;
  cloud: string | null;
  /** Lower-cased tag name → canonical prefixes (IPv4 and IPv6), in file order. */
  tags: ReadonlyMap<string, readonly string[]>;
}

export type ServiceTagsParse =
  | { ok: true; serviceTags: ServiceTags; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** Reads a parsed service tags document; every malformed entry is reported with its JSON path. */
export function parseServiceTags(json: unknown, file: string): ServiceTagsParse {
  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { values?: unknown }).values)) {
    return {
      ok: false,
      diagnostics: [
        diagnostic(
          'UNRECOGNISED_SHAPE',
          'expected a service tags file: an object with a "values" array (ServiceTags_Public JSON)',
          file,
          '$',
        ),
      ],
    };
  }
  const doc = json as { values: unknown[]; changeNumber?: unknown; cloud?: unknown };
  const tags = new Map<string, string[]>();
  doc.values.forEach((entry, i) => {
    const at = jsonPath('$.values', i);
    const e = entry as { name?: unknown; properties?: { addressPrefixes?: unknown } } | null;
    if (typeof e !== 'object' || e === null || typeof e.name !== 'string' || e.name === '') {
      problems.push(diagnostic('MISSING_FIELD', 'service tag entry without a "name"', file, at));
      return;
    }
    const prefixes = e.properties?.addressPrefixes;
    if (!Array.isArray(prefixes)) {
      problems.push(
        diagnostic(
          'MISSING_FIELD',
          `service tag ${e.name} has no properties.addressPrefixes array`,
          file,
          jsonPath(at, 'properties'),
        ),
      );
      return;
    }
    const canonical: string[] = [];
    prefixes.forEach((p, j) => {
      const parsed = typeof p === 'string' ? parsePrefix(p) : null;
      const where = jsonPath(jsonPath(jsonPath(at, 'properties'), 'addressPrefixes'), j);
      if (parsed === null)
        problems.push(
          diagnostic(
            'INVALID_PREFIX',
            `invalid prefix ${JSON.stringify(p)} in service tag ${e.name}`,
            file,
            where,
          ),
        );
      else {
        if (parsed.hostBitsSet)
          warnings.push(
            diagnostic(
              'HOST_BITS_SET',
              `${String(p)} has host bits set; using ${parsed.canonical}`,
              file,
              where,
            ),
          );
        canonical.push(parsed.canonical);
      }
    });
    const key = e.name.toLowerCase();
    if (tags.has(key))
      warnings.push(
        diagnostic(
          'DUPLICATE_RESOURCE',
          `service tag ${e.name} appears more than once; prefixes merged`,
          file,
          at,
        ),
      );
    tags.set(key, [...(tags.get(key) ?? []), ...canonical]);
  });
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  const changeNumber =
    doc.changeNumber === undefined || doc.changeNumber === null ? null : String(doc.changeNumber);
  return {
    ok: true,
    serviceTags: { changeNumber, cloud: typeof doc.cloud === 'string' ? doc.cloud : null, tags },
    diagnostics: warnings,
  };
}
