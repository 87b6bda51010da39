import * as fs from 'node:fs';
import * as path from 'node:path';
import { snapshotJsonSchemaText } from '../../../src/model/json-schema';
import { VERSION } from '../../../src/version';

describe('snapshot JSON Schema', () => {
  it('matches the committed file (run `npm run schema` after changing src/model/snapshot.ts)', () => {
    const committed = fs.readFileSync(
      path.join(__dirname, '../../../src/model/snapshot.schema.json'),
      'utf8',
    );
    expect(committed).toBe(snapshotJsonSchemaText());
  });

  it('keeps the version constant equal to package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});
