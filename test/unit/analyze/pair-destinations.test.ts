/**
 * The pair matrix's destinations: subnets that share one NSG in one VNet share their inbound remote
 * maps, and so one column of the class-major inbound matrix (its size is classes × columns, so a
 * column per destination would grow with the square of such an estate).
 */
import { buildSideTables } from '../../../src/analyze/reachability';
import { Columns, blocksOf } from '../../../src/analyze/reachability/blocks';
import { cutAtoms, endpointClasses, remoteSignatures } from '../../../src/analyze/reachability/classes';
import { destinations } from '../../../src/analyze/reachability/pairs';
import { emptyPaths } from '../../../src/analyze/reachability/paths';
import { compilePolicy } from '../../../src/policy/engine';
import { ids, nsg, rule, snapshotOf, subnet, vnet } from '../../oracle/tiny-estate';

function destinationsOf(nsgOf: (i: number) => string) {
  const names = [...new Set([0, 1, 2, 3, 4].map(nsgOf))];
  const snapshot = snapshotOf({
    virtualNetworks: [vnet('app', ['10.1.0.0/16'])],
    subnets: [0, 1, 2, 3, 4].map((i) =>
      subnet('app', `s${i}`, [`10.1.${i}.0/24`], { networkSecurityGroupId: ids.nsg(nsgOf(i)) }),
    ),
    networkSecurityGroups: names.map((n) =>
      nsg(n, [
        rule({
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          src: ['10.1.0.0/24'],
          dstPorts: ['443'],
        }),
      ]),
    ),
  });
  const engine = compilePolicy(snapshot);
  const tables = buildSideTables(engine, () => undefined);
  const { atoms, allRemote } = cutAtoms(tables);
  const { sigA, sigB } = remoteSignatures(atoms, allRemote);
  const { classes } = endpointClasses(engine.index, tables, atoms, sigA, sigB);
  const subnetIndex = new Map(tables.subnets.map((s, i) => [s.id, i]));
  const blocks = blocksOf(engine, subnetIndex, classes, classes.length);
  return destinations(tables, blocks, new Columns(classes, classes.length), emptyPaths());
}

describe('pair matrix destinations', () => {
  it('gives subnets that share an NSG in one VNet one inbound column', () => {
    const shared = destinationsOf(() => 'nsg-shared');
    expect(shared.count).toBe(5);
    expect(shared.columnCount).toBe(1);
    expect(new Set(shared.column)).toEqual(new Set([0]));
  });

  it('gives subnets with NSGs of their own a column each', () => {
    const own = destinationsOf((i) => `nsg-${i}`);
    expect(own.count).toBe(5);
    expect(own.columnCount).toBe(5);
  });
});
