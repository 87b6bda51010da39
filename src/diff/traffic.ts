/**
 * What each path of one analysis lets through, numbered lazily. A large estate has millions of paths
 * and about a million distinct pairs of side decisions; most of them are closed (or opened) by a
 * proposal, and a closed pair's status needs no traffic: the analysis keeps only pairs that let
 * something through. So a path gets a key (its pair of decision traffic ids), and the traffic of a
 * key is met (`PolicyEngine.trafficBetween`) only when a comparison or a report line needs it.
 */
import type { Reachability } from '../analyze/reachability';
import type { PairTraffic, PolicyEngine } from '../policy';
import { IntPairMap } from '../util/int-pair-map';

export class SideTraffic {
  /** Per path: its traffic key. */
  readonly pathKey: Int32Array;
  /** Per key: a path with that key (-1: a union of two keys, `made` holds its traffic). */
  private readonly path: number[] = [];
  private readonly made: (PairTraffic | undefined)[] = [];
  /** Per key: its content number (equal traffic, equal number; -1: not met yet). */
  private readonly contentOf: number[] = [];
  private readonly byContent = new IntPairMap(1 << 10);
  private contents = 0;
  private readonly unions = new IntPairMap(16);

  constructor(
    private readonly engine: PolicyEngine,
    private readonly reach: Reachability,
  ) {
    const { paths } = reach;
    const decisions = engine.decisions();
    const byDecisions = new IntPairMap(1 << 16);
    this.pathKey = new Int32Array(paths.count);
    for (let i = 0; i < paths.count; i++) {
      const out = decisions[paths.out.get(i)]!.traffic;
      const inb = decisions[paths.in.get(i)]!.traffic;
      // What passes depends only on the two decisions' traffic (many decisions share one).
      let k = byDecisions.get(out, inb);
      if (k < 0) {
        k = this.path.length;
        this.path.push(i);
        this.made.push(undefined);
        this.contentOf.push(-1);
        byDecisions.set(out, inb, k);
      }
      this.pathKey[i] = k;
    }
  }

  /** The traffic of a key (met on first use, then kept). */
  traffic(k: number): PairTraffic {
    let t = this.made[k];
    if (!t) {
      const { paths } = this.reach;
      const decisions = this.engine.decisions();
      const p = this.path[k]!;
      t = this.engine.trafficBetween(decisions[paths.out.get(p)]!, decisions[paths.in.get(p)]!);
      this.made[k] = t;
    }
    return t;
  }

  /** The content number of a key: two keys that let the same through have the same number. */
  content(k: number): number {
    let c = this.contentOf[k]!;
    if (c < 0) {
      const t = this.traffic(k);
      const allow = this.engine.trafficId(t.allow);
      const unknown = this.engine.trafficId(t.unknown);
      c = this.byContent.get(allow, unknown);
      if (c < 0) {
        c = this.contents++;
        this.byContent.set(allow, unknown, c);
      }
      this.contentOf[k] = c;
    }
    return c;
  }

  /** The key of the union of two keys' traffic (once per pair). */
  combine(x: number, y: number): number {
    if (x === y) return x;
    const [u, v] = x < y ? [x, y] : [y, x];
    let k = this.unions.get(u, v);
    if (k < 0) {
      const a = this.traffic(u);
      const b = this.traffic(v);
      const allow = a.allow.union(b.allow);
      k = this.path.length;
      this.path.push(-1);
      this.made.push({ allow, unknown: a.unknown.union(b.unknown).subtract(allow) });
      this.contentOf.push(-1);
      this.unions.set(u, v, k);
    }
    return k;
  }
}
