/**
 * Sets of (source port, destination port) pairs: the part of a flow's 5-tuple that NSG rules constrain
 * besides addresses and protocol. Canonical form (after np-guard's hypercube sets): layers of
 * [source-port set, destination-port set] with disjoint source sets and pairwise different destination
 * sets, ordered by their smallest source port — so equal regions have equal keys.
 */
import { IntervalSet, PORT_MAX, portDomain, type PortSet } from '../../net/interval-set';

type Layer = readonly [src: PortSet, dst: PortSet];

const FULL_PORTS = IntervalSet.full(portDomain);
const NO_PORTS = IntervalSet.empty(portDomain);

export class PortRegion {
  private keyCache: string | undefined;
  private hashCache: number | undefined;

  private constructor(readonly layers: readonly Layer[]) {}

  static readonly empty = new PortRegion([]);
  static readonly full = new PortRegion([[FULL_PORTS, FULL_PORTS]]);

  /** The rectangle srcPorts × dstPorts. */
  static of(src: PortSet, dst: PortSet): PortRegion {
    if (src.isEmpty || dst.isEmpty) return PortRegion.empty;
    if (src.isFull && dst.isFull) return PortRegion.full;
    return new PortRegion([[src, dst]]);
  }

  get isEmpty(): boolean {
    return this.layers.length === 0;
  }

  get isFull(): boolean {
    return (
      this === PortRegion.full ||
      (this.layers.length === 1 && this.layers[0]![0].isFull && this.layers[0]![1].isFull)
    );
  }

  has(srcPort: number, dstPort: number): boolean {
    for (const [s, d] of this.layers) if (s.has(srcPort)) return d.has(dstPort);
    return false;
  }

  /** Source ports paired with `dstPort` in this region. */
  sourcePortsFor(dstPort: number): PortSet {
    let out = NO_PORTS;
    for (const [s, d] of this.layers) if (d.has(dstPort)) out = out.union(s);
    return out;
  }

  /** Destination ports that are paired with every source port (what "any source port" queries ask). */
  destinationPortsForAllSources(): PortSet {
    if (this.layers.length === 1 && this.layers[0]![0].isFull) return this.layers[0]![1];
    let covered = NO_PORTS;
    for (const [s] of this.layers) covered = covered.union(s);
    if (!covered.isFull) return NO_PORTS;
    let out = FULL_PORTS;
    for (const [, d] of this.layers) out = out.intersect(d);
    return out;
  }

  /** Destination ports paired with at least one source port. */
  destinationPorts(): PortSet {
    let out = NO_PORTS;
    for (const [, d] of this.layers) out = out.union(d);
    return out;
  }

  /** Whether the regions share a point (no allocation). */
  overlaps(other: PortRegion): boolean {
    for (const [sa, da] of this.layers) {
      for (const [sb, db] of other.layers) if (sa.overlaps(sb) && da.overlaps(db)) return true;
    }
    return false;
  }

  intersect(other: PortRegion): PortRegion {
    if (this.isEmpty || other.isEmpty) return PortRegion.empty;
    if (other.isFull) return this;
    if (this.isFull) return other;
    const same = this.sameSingleSource(other);
    if (same) return PortRegion.of(same, this.layers[0]![1].intersect(other.layers[0]![1]));
    const rects: Layer[] = [];
    for (const [sa, da] of this.layers) {
      for (const [sb, db] of other.layers) {
        const s = sa.intersect(sb);
        if (s.isEmpty) continue;
        const d = da.intersect(db);
        if (!d.isEmpty) rects.push([s, d]);
      }
    }
    return PortRegion.canonical(rects);
  }

  union(other: PortRegion): PortRegion {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    if (this.isFull || other.isFull) return PortRegion.full;
    const same = this.sameSingleSource(other);
    if (same) return PortRegion.of(same, this.layers[0]![1].union(other.layers[0]![1]));
    return PortRegion.canonical([...this.layers, ...other.layers]);
  }

  subtract(other: PortRegion): PortRegion {
    if (this.isEmpty || other.isEmpty) return this;
    if (other.isFull) return PortRegion.empty;
    const same = this.sameSingleSource(other);
    if (same) return PortRegion.of(same, this.layers[0]![1].subtract(other.layers[0]![1]));
    const rects: Layer[] = [];
    for (const [sa, da] of this.layers) {
      let rest = sa;
      for (const [sb, db] of other.layers) {
        const s = sa.intersect(sb);
        if (s.isEmpty) continue;
        rest = rest.subtract(sb);
        const d = da.subtract(db);
        if (!d.isEmpty) rects.push([s, d]);
      }
      if (!rest.isEmpty) rects.push([rest, da]);
    }
    return PortRegion.canonical(rects);
  }

  isSubsetOf(other: PortRegion): boolean {
    return this.subtract(other).isEmpty;
  }

  equals(other: PortRegion): boolean {
    if (this === other) return true;
    if (this.layers.length !== other.layers.length || this.hash() !== other.hash()) return false;
    for (let i = 0; i < this.layers.length; i++) {
      if (!this.layers[i]![0].equals(other.layers[i]![0]) || !this.layers[i]![1].equals(other.layers[i]![1]))
        return false;
    }
    return true;
  }

  /** A 30-bit hash, equal for equal regions (canonical form makes equal regions structurally equal). */
  hash(): number {
    if (this.hashCache === undefined) {
      let h = 0x9747b28c ^ this.layers.length;
      for (const [src, dst] of this.layers) {
        h = Math.imul(h ^ src.hash(), 0x5bd1e995);
        h = Math.imul(h ^ dst.hash(), 0x5bd1e995);
      }
      this.hashCache = h & 0x3fffffff;
    }
    return this.hashCache;
  }

  /** An equal region whose port sets are replaced by equal ones from `share` (to share storage). */
  withSharedSets(share: (set: PortSet) => PortSet): PortRegion {
    if (this === PortRegion.empty || this === PortRegion.full) return this;
    return new PortRegion(this.layers.map(([s, d]) => [share(s), share(d)] as const));
  }

  /** Stable text key: equal regions have equal keys. */
  key(): string {
    if (this.keyCache === undefined)
      this.keyCache = this.layers.map(([s, d]) => `${s.key()}>${d.key()}`).join('|');
    return this.keyCache;
  }

  /** A region from layers already in canonical form (disjoint sources, distinct destinations, by first source). */
  static fromCanonicalLayers(layers: readonly Layer[]): PortRegion {
    if (layers.length === 0) return PortRegion.empty;
    if (layers.length === 1 && layers[0]![0].isFull && layers[0]![1].isFull) return PortRegion.full;
    return new PortRegion(layers);
  }

  /** The common source set when both regions are one layer over the same source ports (the usual case). */
  private sameSingleSource(other: PortRegion): PortSet | null {
    if (this.layers.length !== 1 || other.layers.length !== 1) return null;
    const a = this.layers[0]![0];
    const b = other.layers[0]![0];
    return a === b || a.equals(b) ? a : null;
  }

  /** Builds the canonical region covering a list of possibly overlapping rectangles. */
  private static canonical(rects: readonly Layer[]): PortRegion {
    if (rects.length === 0) return PortRegion.empty;
    if (rects.length === 1) return PortRegion.of(rects[0]![0], rects[0]![1]);
    // Cut the source axis at every rectangle edge; each elementary source interval gets the union of
    // the destination sets over it; then gather the intervals that share a destination set.
    const cuts = new Set<number>();
    for (const [s] of rects) for (const [lo, hi] of s.intervals()) cuts.add(lo).add(hi + 1);
    const points = [...cuts].sort((a, b) => a - b);
    const byDst = new Map<string, { dst: PortSet; src: [number, number][] }>();
    for (let i = 0; i + 1 < points.length; i++) {
      const lo = points[i]!;
      const hi = points[i + 1]! - 1;
      if (lo > PORT_MAX) break;
      let dst = NO_PORTS;
      for (const [s, d] of rects) if (s.has(lo)) dst = dst.union(d);
      if (dst.isEmpty) continue;
      const k = dst.key();
      const entry = byDst.get(k);
      if (entry) entry.src.push([lo, hi]);
      else byDst.set(k, { dst, src: [[lo, hi]] });
    }
    const layers: Layer[] = [...byDst.values()].map(
      ({ dst, src }) => [IntervalSet.of(portDomain, src), dst] as const,
    );
    layers.sort((a, b) => a[0].first()! - b[0].first()!);
    if (layers.length === 1 && layers[0]![0].isFull && layers[0]![1].isFull) return PortRegion.full;
    return new PortRegion(layers);
  }
}

export { FULL_PORTS, NO_PORTS };
