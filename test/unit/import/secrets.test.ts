import * as fs from 'node:fs';
import * as path from 'node:path';
import { importDocuments } from '../../../src/collect/files';
import { snapshotToString } from '../../../src/model/snapshot-codec';
import { snapshotOf } from './helpers';

const fixture = path.join(__dirname, '../../fixtures/import/secrets/container-group.json');

describe('secrets never reach a snapshot', () => {
  it('keeps environment variable names and drops every value, command, credential and key', () => {
    const text = fs.readFileSync(fixture, 'utf8');
    const snapshot = snapshotOf(importDocuments([{ file: 'cg.json', text }]));
    const out = snapshotToString(snapshot);

    // Every fake secret in the fixture is marked FAKE-…-NNNN (and one is base64); none may survive.
    const secrets = [...new Set(text.match(/FAKE-[A-Z-]+-\d{4}/g))];
    expect(secrets).toHaveLength(16); // 0001–0017 without 0013, which is base64-encoded below
    for (const secret of [...secrets, 'RkFLRS1WT0xVTUUtU0VDUkVULTAwMTM=']) expect(out).not.toContain(secret);

    // …while what network analysis needs is there.
    expect(snapshot.containerGroups[0]?.containers).toEqual([
      {
        name: 'app',
        image: 'myacr.azurecr.io/app:1',
        ports: [{ port: 443, protocol: 'TCP' }],
        environmentVariableNames: ['DB_PASSWORD', 'KV_SECRET', 'PLAIN_SETTING'],
      },
    ]);
    expect(snapshot.containerGroups[0]?.initContainers[0]?.environmentVariableNames).toEqual(['INIT_TOKEN']);
  });

  it('keeps secrets out of error messages for values it rejects', () => {
    const text = fs
      .readFileSync(fixture, 'utf8')
      .replace('"port": 443 }]', '"port": "FAKE-BAD-PORT-SECRET" }]');
    const outcome = importDocuments([{ file: 'cg.json', text }]);
    expect(outcome.snapshot).toBeUndefined();
    expect(JSON.stringify(outcome.diagnostics)).not.toContain('FAKE-BAD-PORT-SECRET');
  });
});
