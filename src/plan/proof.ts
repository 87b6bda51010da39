/**
 * The proof, computed with the engine on the proposed snapshot (never with the planner's own view of
 * its rules): (a) every required flow is certainly allowed; (b) nothing is allowed (or possibly
 * allowed) that was not certainly allowed before, except what a widening `require` entry demands;
 * (c) every `forbid` entry is certainly denied. An obligation that depends on something the snapshot
 * does not resolve is a failure: the proof never claims what it cannot show.
 */
import { cellsBetween } from '../analyze/cells';
import type { LocatedPart } from '../analyze/endpoints';
import type { SnapshotIndex } from '../model/snapshot-index';
import { TrafficSet, type PolicyEngine } from '../policy';
import { changedPairs, trafficFlows } from './compare';
import type { Shaped } from './generalize';
import type { PlanProof, ProofCheck, ProofFailure, RequiredFlow } from './model';
import type { Guard, Labels, Need } from './required';
import { allowsAll, clipPart, isSelfCell, rangesOf, relocate, type SubnetLocator } from './space';

/** At most this many failures are listed per check (all are counted in `checked`/`ok`). */
export const MAX_FAILURES = 100;

export interface ProofInput {
  before: PolicyEngine;
  after: PolicyEngine;
  afterLocator: SubnetLocator;
  beforeIndex: SnapshotIndex;
  shaped: readonly Shaped[];
  guards: readonly Guard[];
  planned: ReadonlySet<string>;
  labels: Labels;
  progress: (m: string) => void;
}

export function prove(input: ProofInput): PlanProof {
  const required = proveRequired(input);
  const noWidening = proveNoWidening(input);
  const forbidden = proveForbidden(input);
  return { ok: required.ok && noWidening.ok && forbidden.ok, required, noWidening, forbidden };
}

function check(failures: ProofFailure[], checked: number, failed: number): ProofCheck {
  return { ok: failed === 0, checked, failures };
}

/** (a) every required flow allowed, whatever the unknowns. */
function proveRequired(input: ProofInput): ProofCheck {
  const index = input.after.index;
  const failures: ProofFailure[] = [];
  let failed = 0;
  input.shaped.forEach(({ need }, i) => {
    if (i > 0 && i % 20000 === 0) input.progress(`proof (a): ${i}/${input.shaped.length} required flows`);
    if (allowsAll(input.after, relocate(need.src, index), relocate(need.dst, index), need.traffic)) return;
    failed++;
    if (failures.length < MAX_FAILURES)
      failures.push({
        flow: { ...need.required.flow, verdict: 'deny' },
        ...(need.required.entry === undefined ? {} : { entry: need.required.entry }),
        detail: 'required, but not certainly allowed under the proposal',
      });
  });
  return check(failures, input.shaped.length, failed);
}

/** (b) nothing newly allowed, except the widening `require` entries demand. */
function proveNoWidening(input: ProofInput): ProofCheck & { widening: RequiredFlow[] } {
  const widening = input.shaped.filter((s) => s.widening).map((s) => s.need);
  const failures: ProofFailure[] = [];
  let failed = 0;
  let checked = 0;
  const subnets = [...input.planned].map((id) => input.after.index.subnets.get(id)!).filter(Boolean);
  for (const [src, dst] of changedPairs(
    input.after,
    input.afterLocator,
    subnets,
    input.planned,
    (d) => !d.possible.isEmpty,
  )) {
    const [beforeSrc, beforeDst] = relocate([src, dst], input.beforeIndex) as [LocatedPart, LocatedPart];
    for (const cell of cellsBetween(input.after, src, dst)) {
      const may = cell.result.allow.union(cell.result.unknown);
      if (may.isEmpty || isSelfCell(src, dst, cell)) continue;
      const oldSrc = clipPart(beforeSrc, cell.srcLo, cell.srcHi)!;
      const oldDst = clipPart(beforeDst, cell.dstLo, cell.dstHi)!;
      for (const old of cellsBetween(input.before, oldSrc, oldDst)) {
        if (isSelfCell(oldSrc, oldDst, old)) continue;
        checked++;
        let excess = may.subtract(old.result.allow);
        if (excess.isEmpty) continue;
        excess = excess.subtract(demanded(widening, old));
        if (excess.isEmpty) continue;
        failed++;
        if (failures.length < MAX_FAILURES) {
          const from = input.labels.part(clipPart(src, old.srcLo, old.srcHi)!);
          const to = input.labels.part(clipPart(dst, old.dstLo, old.dstHi)!);
          for (const flow of trafficFlows(excess, from, to, 'allow'))
            failures.push({
              flow,
              detail: 'allowed (or possibly allowed) under the proposal, not certainly allowed today',
            });
        }
      }
    }
  }
  return {
    ...check(failures, checked, failed),
    widening: widening.map((n) => n.required),
  };
}

/** The traffic widening needs demand for every flow of a cell (needs whose address sets hold the whole cell). */
function demanded(
  widening: readonly Need[],
  cell: { srcLo: number; srcHi: number; dstLo: number; dstHi: number },
): TrafficSet {
  let out: TrafficSet | null = null;
  for (const n of widening) {
    const src = rangesOf(n.src);
    const dst = rangesOf(n.dst);
    if (!holds(src, cell.srcLo, cell.srcHi) || !holds(dst, cell.dstLo, cell.dstHi)) continue;
    out = out === null ? n.traffic : out.union(n.traffic);
  }
  return out ?? TrafficSet.none;
}

function holds(set: ReturnType<typeof rangesOf>, lo: number, hi: number): boolean {
  for (const [a, b] of set.intervals()) if (a <= lo && hi <= b) return true;
  return false;
}

/** (c) every forbid entry certainly denied. */
function proveForbidden(input: ProofInput): ProofCheck {
  const index = input.after.index;
  const failures: ProofFailure[] = [];
  let failed = 0;
  for (const g of input.guards) {
    const src = relocate(g.src, index);
    const dst = relocate(g.dst, index);
    let open: TrafficSet | null = null;
    let where: [LocatedPart, LocatedPart] | null = null;
    let reachable = false;
    for (const s of src) {
      for (const d of dst) {
        for (const cell of cellsBetween(input.after, s, d)) {
          if (isSelfCell(s, d, cell)) continue;
          const may = cell.result.allow.union(cell.result.unknown).intersect(g.traffic);
          if (may.isEmpty) continue;
          open = open === null ? may : open.union(may);
          const here: [LocatedPart, LocatedPart] = [
            clipPart(s, cell.srcLo, cell.srcHi)!,
            clipPart(d, cell.dstLo, cell.dstHi)!,
          ];
          if (where === null || (where[0].kind !== 'external' && s.kind === 'external')) where = here;
          reachable ||= [s, d].some((p) => p.kind === 'subnet' && input.planned.has(p.subnet.id));
        }
      }
    }
    if (open === null) continue;
    failed++;
    for (const flow of trafficFlows(open, g.entry.from, g.entry.to, 'allow'))
      failures.push({
        flow,
        entry: g.entry.name,
        detail: `forbid ${g.entry.name}: allowed (or possibly allowed) under the proposal, e.g. ${input.labels.part(where![0])} → ${input.labels.part(where![1])}${reachable ? '' : ' — neither end is in a subnet whose NSG the plan writes, so no proposed rule can deny it'}`,
      });
  }
  return check(failures, input.guards.length, failed);
}
