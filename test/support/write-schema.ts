/** Regenerates src/model/snapshot.schema.json from the zod schema (`npm run schema`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { snapshotJsonSchemaText } from '../../src/model/json-schema';

const target = path.join(__dirname, '..', '..', 'src', 'model', 'snapshot.schema.json');
fs.writeFileSync(target, snapshotJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
