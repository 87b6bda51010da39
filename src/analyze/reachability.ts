/**
 * Exact all-pairs reachability. Its phases, each in a module of src/analyze/reachability/:
 *
 *   tables    every subnet's outbound and inbound side tables, compiled first (here)
 *   classes   atoms no table tells apart, their signatures, endpoint classes
 *   blocks    classes grouped by subnet and local key; remote maps read once per class
 *   pairs     every ordered pair of classes, one block pair at a time, as rectangles
 *   external  what addresses outside every subnet reach, and are reached from
 *
 * Open paths are stored as shared integer lists (paths). Every ordered pair of classes gets one
 * pair result, memoized on the pair of side decisions.
 */
import type { PolicyEngine, SideTable } from '../policy';
import { Columns, blocksOf } from './reachability/blocks';
import {
  cutAtoms,
  endpointClasses,
  remoteSignatures,
  type EndpointClass,
  type SubnetTables,
} from './reachability/classes';
import { externalPaths } from './reachability/external';
import { pairMatrix, type PairTest } from './reachability/pairs';
import { emptyPaths, type Paths } from './reachability/paths';

export type { ClassKind, EndpointClass } from './reachability/classes';
export { pathSources, pathTargets, type Paths } from './reachability/paths';
export type { PairTest } from './reachability/pairs';

export interface Reachability {
  classes: EndpointClass[];
  paths: Paths;
  stats: ReachabilityStats;
}

export interface ReachabilityStats {
  atoms: number;
  /** Subnet and public-container-group classes (the pair matrix). */
  internalClasses: number;
  externalGroups: number;
  pairsEvaluated: number;
  /** Open pairs kept (every open pair without `keepPair`). */
  openPairs: number;
  distinctDecisions: number;
  milliseconds: { tables: number; classes: number; pairs: number; external: number };
}

export interface ReachabilityOptions {
  /** Called now and then with a progress message for long runs. */
  progress?: (message: string) => void;
  /** Injected clock for the phase timings (the analysis never reads the time itself). */
  now?: () => number;
  /**
   * Keeps only the pair-matrix paths between two classes with a policy whose (outbound, inbound)
   * decisions pass this test; paths to or from classes without one are always kept.
   */
  keepPair?: PairTest | null;
}

/** Computes all-pairs reachability over the whole snapshot. */
export function computeReachability(engine: PolicyEngine, options: ReachabilityOptions = {}): Reachability {
  const now = options.now ?? (() => 0);
  const progress = options.progress ?? (() => undefined);
  const t0 = now();
  const tables = compileTables(engine, progress);
  const t1 = now();

  const { atoms, allRemote } = cutAtoms(tables);
  const { sigA, sigB } = remoteSignatures(atoms, allRemote);
  const { classes, inSubnets, publics } = endpointClasses(engine.index, tables, atoms, sigA, sigB);
  const internalCount = classes.length;
  const subnetIndex = new Map(tables.subnets.map((s, i) => [s.id, i]));
  const outRuns = (c: EndpointClass) => tables.outTables[subnetIndex.get(c.subnet!.id)!]!.remote[c.outKey]!;
  const inRuns = (c: EndpointClass) => tables.inTables[subnetIndex.get(c.subnet!.id)!]!.remote[c.inKey]!;
  const t2 = now();
  progress(`${atoms.length} atoms, ${internalCount} endpoint classes inside subnets or public`);

  const columns = new Columns(classes, internalCount);
  const paths = emptyPaths();
  const blocks = blocksOf(engine, subnetIndex, classes, internalCount);
  const pairs = pairMatrix(
    engine,
    tables,
    classes,
    blocks,
    columns,
    paths,
    progress,
    options.keepPair ?? null,
  );
  const t3 = now();

  const inside = inSubnets.union(publics.addresses);
  const externalOpen = externalPaths(engine, classes, internalCount, inside, inRuns, outRuns, paths);
  const t4 = now();
  const kept = options.keepPair ? ' kept (those the rules read)' : '';
  progress(`${paths.count} open paths${kept}, ${classes.length - internalCount} external groups`);
  return {
    classes,
    paths,
    stats: {
      atoms: atoms.length,
      internalClasses: internalCount,
      externalGroups: classes.length - internalCount,
      pairsEvaluated: pairs.evaluated,
      openPairs: pairs.openPairs + externalOpen,
      distinctDecisions: engine.decisions().length,
      milliseconds: { tables: t1 - t0, classes: t2 - t1, pairs: t3 - t2, external: t4 - t3 },
    },
  };
}

/**
 * Every subnet's side tables, subnets sorted by id. Compiling them all first lets the compiler drop
 * its per-side caches before the (memory-heavy) pair phase.
 */
function compileTables(engine: PolicyEngine, progress: (message: string) => void): SubnetTables {
  const tables = buildSideTables(engine, progress);
  engine.releaseCaches();
  return tables;
}

/**
 * Builds every subnet's side tables (subnets sorted by id) and keeps the compiler's caches: the plan
 * builds them all before shaping, which then asks for them one need at a time (and still reads the
 * caches); computeReachability later finds them built.
 */
export function buildSideTables(engine: PolicyEngine, progress: (message: string) => void): SubnetTables {
  const subnets = [...engine.index.snapshot.subnets].sort((a, b) => (a.id < b.id ? -1 : 1));
  const outTables: SideTable[] = [];
  const inTables: SideTable[] = [];
  subnets.forEach((s, i) => {
    outTables.push(engine.sideTable(s, 'Outbound'));
    inTables.push(engine.sideTable(s, 'Inbound'));
    if ((i + 1) % 250 === 0) progress(`compiled ${i + 1}/${subnets.length} subnets`);
  });
  return { subnets, outTables, inTables };
}
