/**
 * The effect's accounting above DETAILED_SHARES endpoints (pairs summed as "to / from any endpoint"):
 * the figures of a 450-subnet estate, pinned from the accounting before it moved to flat typed arrays.
 */
import { createHash } from 'crypto';
import { Importer } from '../../../src/collect/files';
import { compilePolicy } from '../../../src/policy';
import { DETAILED_SHARES } from '../../../src/plan/effect';
import { planSegmentation } from '../../../src/plan';
import { generateEstatePages, mulberry32 } from '../../support/synthetic-estate';

const PRESET = {
  seed: 3,
  vnets: 5,
  subnetsPerVnet: 90,
  containerGroupsPerSubnet: 1,
  rulesPerNsg: 10,
  mix: { singleIp: 0.02 },
};

it('counts closed tuples per planned subnet to and from any endpoint, exactly', () => {
  const importer = new Importer();
  for (const page of generateEstatePages(PRESET)) importer.addDocument(page.name, JSON.stringify(page.json));
  const snapshot = importer.finish().snapshot!;
  expect(snapshot.subnets.length).toBeGreaterThan(DETAILED_SHARES);
  const random = mulberry32(5);
  const groups = snapshot.containerGroups.filter((g) => g.ipAddress?.ip && g.subnetIds.length > 0);
  const pick = () => groups[Math.floor(random() * groups.length)]!;
  const flows = Array.from({ length: 300 }, () => [pick(), pick()] as const)
    .filter(([a, b]) => a !== b)
    .map(([src, dst]) => ({
      source: src.ipAddress!.ip!,
      destination: dst.ipAddress!.ip!,
      protocol: 'Tcp',
      destinationPort: [443, 8080, 22][Math.floor(random() * 3)]!,
      direction: 'Inbound' as const,
      decision: 'allow' as const,
      tuples: 1,
      flowsStarted: 1,
      firstSeen: '2026-11-30T00:00:00.000Z',
      lastSeen: '2026-11-30T23:59:59.000Z',
    }));
  const r = planSegmentation({
    snapshot,
    engine: compilePolicy(snapshot),
    observed: {
      flows,
      window: { first: null, last: null, since: null, until: null, files: 0, tuples: flows.length },
    },
    intent: null,
    today: '2026-12-01',
  });
  const digest = createHash('sha256').update(JSON.stringify(r.effect)).digest('hex');
  expect([r.effect.closedPairs, r.effect.closedFlowSpace, r.effect.closed.length, digest]).toEqual([
    900,
    '68139077734473220352',
    2687,
    '2b09e893f2e797f91a96bafd35ec266e2f94ad97640e475750af0fda8099b1a1',
  ]);
});
