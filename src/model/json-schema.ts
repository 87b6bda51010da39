/** The snapshot's JSON Schema, generated from the zod schema (kept in sync with the committed file by a test). */
import { z } from 'zod';
import { Snapshot } from './snapshot';

/** JSON Schema (draft 2020-12) text for snapshot files, stable and pretty-printed. */
export function snapshotJsonSchemaText(): string {
  const schema = z.toJSONSchema(Snapshot, { target: 'draft-2020-12' });
  const withId = {
    $id: 'https://github.com/aciseg/aciseg/snapshot.schema.json',
    title: 'aciseg snapshot',
    ...schema,
  };
  return `${JSON.stringify(withId, null, 2)}\n`;
}
