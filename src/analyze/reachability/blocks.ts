/**
 * Blocks and columns (the set-up of phase 4). The pair matrix is walked one (source block,
 * destination block) at a time: a block is a subnet's classes, split by their local key in the
 * subnet's outbound and inbound tables, or the public container groups that share one inbound
 * decision (their port list; they have no outbound policy). A column is a remote map read at every
 * class's representative address, so a table's verdict on a class is one array lookup.
 */
import type { PolicyEngine, Runs } from '../../policy';
import type { EndpointClass } from './classes';

export interface Block {
  classes: number[];
  /** Per local key of the outbound (or inbound) table: the block's classes with that key. */
  byOutKey: Map<number, number[]>;
  byInKey: Map<number, number[]>;
  outKeys: { key: number; members: number[] }[];
  /** Per inbound key: its members, and the constant inbound decision of a public group (-1 for a subnet's key). */
  inKeys: { key: number; members: number[]; constant: number }[];
  subnet: number; // index into subnets, or -1 for a public container group
}

/**
 * Reads remote maps at every internal class's representative address, so a table's verdict on a
 * class is one array lookup. Columns are written into arrays the caller owns: the pair matrix keeps
 * the inbound ones class-major (see `Destinations`) and reuses one buffer for the outbound one.
 */
export class Columns {
  /** Class representatives in address order, so a column is one merge walk over the runs. */
  private readonly byAddress: Int32Array;
  /** The representatives' addresses in that order, unboxed (addresses above 2^31 are not small integers). */
  private readonly sortedReps: Float64Array;

  constructor(
    classes: readonly EndpointClass[],
    readonly internalCount: number,
  ) {
    const reps = classes.slice(0, internalCount).map((c) => c.ranges.first()!);
    this.byAddress = Int32Array.from(reps.map((_, i) => i).sort((a, b) => reps[a]! - reps[b]!));
    this.sortedReps = Float64Array.from(this.byAddress, (c) => reps[c]!);
  }

  /** Writes the decision of `runs` at class c to `out[offset + c * stride]`, for every internal class. */
  fill(runs: Runs, out: Int32Array, offset = 0, stride = 1): void {
    const { sortedReps, byAddress, internalCount } = this;
    const { starts, values } = runs;
    let r = 0;
    for (let k = 0; k < internalCount; k++) {
      const address = sortedReps[k]!;
      while (r + 1 < starts.length && starts[r + 1]! <= address) r++;
      out[offset + byAddress[k]! * stride] = values[r]!;
    }
  }
}

/** The blocks of the internal classes (`classes[0 .. internalCount)`). */
export function blocksOf(
  engine: PolicyEngine,
  subnetIndex: ReadonlyMap<string, number>,
  classes: readonly EndpointClass[],
  internalCount: number,
): Block[] {
  const blocks: Block[] = [];
  const blockOfSubnet = new Map<number, Block>();
  const publicBlocks = new Map<number, Block>();
  const publicDecision = new Map<Block, number>();
  for (const c of classes) {
    if (c.index >= internalCount) break;
    if (c.kind === 'publicContainerGroup') {
      const d = engine.publicPortsDecision(c.group!).id;
      let b = publicBlocks.get(d);
      if (!b) {
        b = { classes: [], byOutKey: new Map(), byInKey: new Map(), outKeys: [], inKeys: [], subnet: -1 };
        publicBlocks.set(d, b);
        publicDecision.set(b, d);
        blocks.push(b);
      }
      b.classes.push(c.index);
      continue;
    }
    const si = subnetIndex.get(c.subnet!.id)!;
    let b = blockOfSubnet.get(si);
    if (!b) {
      b = { classes: [], byOutKey: new Map(), byInKey: new Map(), outKeys: [], inKeys: [], subnet: si };
      blockOfSubnet.set(si, b);
      blocks.push(b);
    }
    b.classes.push(c.index);
    b.byOutKey.set(c.outKey, [...(b.byOutKey.get(c.outKey) ?? []), c.index]);
    b.byInKey.set(c.inKey, [...(b.byInKey.get(c.inKey) ?? []), c.index]);
  }

  for (const b of blocks) {
    if (b.subnet < 0) {
      b.outKeys = [{ key: -1, members: b.classes }];
      b.inKeys = [{ key: -1, members: b.classes, constant: publicDecision.get(b)! }];
      continue;
    }
    b.outKeys = [...b.byOutKey].map(([key, members]) => ({ key, members }));
    b.inKeys = [...b.byInKey].map(([key, members]) => ({ key, members, constant: -1 }));
  }
  return blocks;
}
