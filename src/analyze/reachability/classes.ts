/**
 * Endpoint classes (phases 1–3). The address space is cut into atoms at every boundary any compiled
 * table draws, so no table can tell two addresses of one atom apart. Atoms of one subnet that behave
 * identically as local address (same local keys) and as remote address (same 64-bit signature over
 * every remote map) form one class; each public container group is a class of its own. Classes are
 * what the pair matrix is computed over, so fewer classes is the main speed lever.
 */
import type { ContainerGroup, Subnet } from '../../model/snapshot';
import { parseIpv4 } from '../../net/address';
import { IPV4_MAX, IntervalSet, ipv4Domain, type Ipv4Set } from '../../net/interval-set';
import { subnetSpace, publicGroupsOf, runIndex, type Runs, type SideTable } from '../../policy';
import type { SnapshotIndex } from '../../model/snapshot-index';
import { lastAtOrBelow, sortedDistinct } from '../../util/sorted-search';

export type ClassKind = 'subnet' | 'external' | 'publicContainerGroup';

/** A set of endpoints that every policy treats alike. */
export interface EndpointClass {
  index: number;
  kind: ClassKind;
  subnet: Subnet | null;
  group: ContainerGroup | null;
  /** Its addresses, ascending intervals. */
  ranges: Ipv4Set;
  /** Local keys in the subnet's outbound and inbound tables (-1 when not a subnet class). */
  outKey: number;
  inKey: number;
}

/** The compiled side tables of every subnet, subnets sorted by id (index i of each array is subnet i). */
export interface SubnetTables {
  subnets: Subnet[];
  outTables: SideTable[];
  inTables: SideTable[];
}

/** Atom starts, ascending: every run boundary of every remote map, every local slice boundary, every subnet edge. */
export function cutAtoms(tables: SubnetTables): { atoms: Float64Array; allRemote: Runs[] } {
  const { outTables, inTables } = tables;
  const allRemote: Runs[] = [];
  let cutCount = 1;
  for (const t of [...outTables, ...inTables]) {
    for (const r of t.remote) {
      allRemote.push(r);
      cutCount += r.starts.length;
    }
    cutCount += t.local.starts.length;
  }
  const cuts = new Float64Array(cutCount); // cuts[0] = 0: the axis start
  let filled = 1;
  for (const t of [...outTables, ...inTables]) {
    for (const r of t.remote) {
      cuts.set(r.starts, filled);
      filled += r.starts.length;
    }
    cuts.set(t.local.starts, filled);
    filled += t.local.starts.length;
  }
  return { atoms: Float64Array.from(sortedDistinct(cuts, filled)), allRemote };
}

/**
 * Remote signature of every atom: XOR of a hash of (map, decision) over all maps, via prefix-XOR of
 * differences (two independent 32-bit halves).
 */
export function remoteSignatures(
  atoms: Float64Array,
  allRemote: Runs[],
): { sigA: Uint32Array; sigB: Uint32Array } {
  const sigA = new Uint32Array(atoms.length + 1);
  const sigB = new Uint32Array(atoms.length + 1);
  allRemote.forEach((runs, m) => {
    for (let i = 0; i < runs.starts.length; i++) {
      const a = lastAtOrBelow(atoms, runs.starts[i]!);
      const b = i + 1 < runs.starts.length ? lastAtOrBelow(atoms, runs.starts[i + 1]!) : atoms.length;
      const h1 = mix(m, runs.values[i]!, 0x9e3779b9);
      const h2 = mix(m, runs.values[i]!, 0x85ebca6b);
      sigA[a] = sigA[a]! ^ h1;
      sigA[b] = sigA[b]! ^ h1;
      sigB[a] = sigB[a]! ^ h2;
      sigB[b] = sigB[b]! ^ h2;
    }
  });
  for (let i = 1; i < atoms.length; i++) {
    sigA[i] = sigA[i]! ^ sigA[i - 1]!;
    sigB[i] = sigB[i]! ^ sigB[i - 1]!;
  }
  return { sigA, sigB };
}

/**
 * Subnet classes, then one class per public container group. Also returns the addresses inside
 * subnets (less public groups' addresses) and the public groups, which the external phase needs.
 */
export function endpointClasses(
  index: SnapshotIndex,
  tables: SubnetTables,
  atoms: Float64Array,
  sigA: Uint32Array,
  sigB: Uint32Array,
): { classes: EndpointClass[]; inSubnets: Ipv4Set; publics: ReturnType<typeof publicGroupsOf> } {
  const { subnets, outTables, inTables } = tables;
  const atomEnd = (i: number) => (i + 1 < atoms.length ? atoms[i + 1]! - 1 : IPV4_MAX);
  const classes: EndpointClass[] = [];
  const classByKey = new Map<string, { cls: EndpointClass; pieces: [number, number][] }>();
  // A public container group's address is that group's alone (docs/semantics.md decision 4), in a subnet or outside.
  const publics = publicGroupsOf(index);
  let inSubnets = IntervalSet.empty(ipv4Domain);
  subnets.forEach((subnet, si) => {
    const space = subnetSpace(subnet).subtract(publics.addresses);
    inSubnets = inSubnets.union(space);
    const out = outTables[si]!.local;
    const inb = inTables[si]!.local;
    for (const [lo, hi] of space.intervals()) {
      for (let a = lastAtOrBelow(atoms, lo); a < atoms.length && atoms[a]! <= hi; a++) {
        const outKey = out.values[runIndex(out, atoms[a]!)]!;
        const inKey = inb.values[runIndex(inb, atoms[a]!)]!;
        const key = `${si}|${outKey}|${inKey}|${sigA[a]}|${sigB[a]}`;
        let entry = classByKey.get(key);
        if (!entry) {
          entry = {
            cls: {
              index: -1,
              kind: 'subnet',
              subnet,
              group: null,
              ranges: IntervalSet.empty(ipv4Domain),
              outKey,
              inKey,
            },
            pieces: [],
          };
          classByKey.set(key, entry);
        }
        entry.pieces.push([Math.max(atoms[a]!, lo), Math.min(atomEnd(a), hi)]);
      }
    }
  });
  for (const { cls, pieces } of classByKey.values()) {
    cls.ranges = IntervalSet.of(ipv4Domain, pieces);
    cls.index = classes.length;
    classes.push(cls);
  }
  for (const g of publics.owners) {
    const ip = parseIpv4(g.ipAddress!.ip!)!;
    classes.push({
      index: classes.length,
      kind: 'publicContainerGroup',
      subnet: null,
      group: g,
      ranges: IntervalSet.range(ipv4Domain, ip, ip),
      outKey: -1,
      inKey: -1,
    });
  }
  return { classes, inSubnets, publics };
}

/** A 32-bit mix of (map index, decision id, seed): murmur3's finalizer over a combined word. */
function mix(map: number, value: number, seed: number): number {
  let h = Math.imul(map ^ seed, 0xcc9e2d51) ^ Math.imul(value + 0x632be5ab, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
