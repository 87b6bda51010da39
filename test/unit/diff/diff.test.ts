import { computeReachability } from '../../../src/analyze/reachability';
import { canonicalTrafficText, describeTraffic } from '../../../src/analyze/results';
import { aggregateStatus, CHANGE_STATUSES, diffReachability, type Analysis } from '../../../src/diff';
import type { Snapshot } from '../../../src/model/snapshot';
import type { TrafficSet } from '../../../src/policy';
import { compilePolicy } from '../../../src/policy/engine';
import { hubSpokeProposal, reportEstate } from '../../support/report-estate';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

function analysis(snapshot: Snapshot): Analysis {
  const engine = compilePolicy(snapshot, {});
  return { engine, reach: computeReachability(engine) };
}

/** The estate with some web NSG rules removed (by name). */
function without(...names: string[]): Snapshot {
  const s = structuredClone(reportEstate());
  const nsg = s.networkSecurityGroups[0]!;
  nsg.securityRules = nsg.securityRules.filter((r) => !names.includes(r.name));
  return s;
}

const text = (t: TrafficSet) => canonicalTrafficText(describeTraffic(t));
const subnetId = (s: Snapshot, name: string) => s.subnets.find((x) => x.name === name)!.id;

function pairOf(diff: ReturnType<typeof diffReachability>, from: string, to: string) {
  const f = diff.endpoints.indexOf(from);
  const t = diff.endpoints.indexOf(to);
  return diff.endpointPairs.find((p) => p.from === f && p.to === t);
}

describe('diffReachability', () => {
  const base = reportEstate();
  const web = subnetId(base, 'snet-web');

  it('finds nothing changed between an analysis and itself', () => {
    const a = analysis(base);
    const diff = diffReachability(a, analysis(base));
    expect(diff.endpointPairs).toEqual([]);
    expect(diff.rectangles.from.length).toBe(0);
    expect(diff.counts.unchanged).toBeGreaterThan(0);
    expect(diff.counts.closed + diff.counts.opened + diff.counts.narrowed).toBe(0);
    // Same snapshot, same classes: every cell is one class on both sides.
    for (const c of diff.cells) expect(c.before).toEqual(c.after);
  });

  it('removing SSH from the Internet narrows Internet → web by tcp 22, per subnet pair and per group pair', () => {
    const before = analysis(base);
    const after = analysis(without('allow-ssh-admin'));
    const diff = diffReachability(before, after);
    const pair = pairOf(diff, 'external:internet', web)!;
    expect(pair.status).toBe('narrowed');
    expect(text(pair.removed)).toBe('tcp:22');
    expect(text(pair.added)).toBe('none');
    // Only that pair changed.
    expect(diff.endpointPairs).toHaveLength(1);
    // At group level: the cells of the web subnet that hold 10.0.1.4 lost tcp 22 and kept 443;
    // the rest of the subnet is unchanged.
    const admin = before.reach.classes.find((c) => c.kind === 'subnet' && c.ranges.has(0x0a000104))!;
    const rects = diff.rectangles;
    expect(rects.from.length).toBeGreaterThan(0);
    for (let r = 0; r < rects.from.length; r++) {
      const change = diff.changes[rects.change.get(r)]!;
      expect(change.status).toBe('narrowed');
      expect(text(change.removed)).toBe('tcp:22');
      expect(text(change.after!.allow)).toBe('tcp:443');
      for (let k = rects.targetStart.get(r); k < rects.targetStart.get(r + 1); k++)
        expect(diff.cells[rects.targets.get(k)]!.before).toEqual([admin.index]);
      expect(diff.endpoints[diff.cells[rects.from.get(r)]!.endpoint]).toBe('external:internet');
    }
  });

  it('closes Internet → web when both Internet rules go, and the reverse diff opens it', () => {
    const before = analysis(base);
    const after = analysis(without('allow-ssh-admin', 'allow-https'));
    const closed = pairOf(diffReachability(before, after), 'external:internet', web)!;
    expect(closed.status).toBe('closed');
    expect(text(closed.removed)).toBe('tcp:22,443');
    const opened = pairOf(diffReachability(after, before), 'external:internet', web)!;
    expect(opened.status).toBe('opened');
    expect(text(opened.added)).toBe('tcp:22,443');
  });

  it('widens when the after side lets more through', () => {
    const diff = diffReachability(analysis(without('allow-ssh-admin')), analysis(base));
    const pair = pairOf(diff, 'external:internet', web)!;
    expect(pair.status).toBe('widened');
    expect(text(pair.added)).toBe('tcp:22');
  });

  it('without group pairs gives the same endpoint pairs and counts, and no rectangles', () => {
    const before = analysis(base);
    const after = analysis(without('allow-ssh-admin'));
    const full = diffReachability(before, after);
    const lean = diffReachability(before, after, undefined, { groupPairs: false });
    expect(lean.rectangles.from.length).toBe(0);
    expect(lean.endpointPairs).toEqual(full.endpointPairs);
    expect(lean.counts).toEqual(full.counts);
  });

  it('gives the traffic of the changed endpoint pairs it is asked for, and every changed pair its status', () => {
    const hub = hubSpokeSnapshot();
    const before = analysis(hub);
    const after = analysis(hubSpokeProposal(hub));
    const full = diffReachability(before, after, undefined, { groupPairs: false });
    expect(full.endpointPairs.length).toBeGreaterThan(1);
    const { changedPairs } = full;
    expect(changedPairs.from.length).toBe(full.endpointPairs.length);
    full.endpointPairs.forEach((p, k) => {
      expect([changedPairs.from[k], changedPairs.to[k]]).toEqual([p.from, p.to]);
      expect(CHANGE_STATUSES[changedPairs.status[k]!]).toBe(p.status);
    });
    const last = full.endpointPairs.length - 1;
    const picked = diffReachability(before, after, undefined, {
      groupPairs: false,
      pairTraffic: (pairs, ids) => {
        expect(ids).toEqual(full.endpoints);
        return [pairs.from.length - 1];
      },
    });
    expect(picked.changedPairs).toEqual(changedPairs);
    expect(picked.endpointPairs).toHaveLength(1);
    const [one] = picked.endpointPairs;
    expect([one!.from, one!.to, one!.status]).toEqual([
      full.endpointPairs[last]!.from,
      full.endpointPairs[last]!.to,
      full.endpointPairs[last]!.status,
    ]);
    expect(text(one!.removed)).toBe(text(full.endpointPairs[last]!.removed));
    expect(text(one!.added)).toBe(text(full.endpointPairs[last]!.added));
  });

  it('over its cell-pair limit compares nothing and says how many pairs it would have compared', () => {
    const diff = diffReachability(analysis(base), analysis(without('allow-ssh-admin')), undefined, {
      maxCellPairs: 3,
    });
    expect(diff.skipped!.cellPairs).toBeGreaterThan(3);
    expect(diff.endpointPairs).toEqual([]);
    const within = diffReachability(analysis(base), analysis(without('allow-ssh-admin')), undefined, {
      maxCellPairs: 1_000_000,
    });
    expect(within.skipped).toBeUndefined();
    expect(within.endpointPairs).toHaveLength(1);
  });

  it('is deterministic', () => {
    const run = () => {
      const d = diffReachability(analysis(base), analysis(without('allow-ssh-admin')));
      return JSON.stringify({
        cells: d.cells,
        endpoints: d.endpoints,
        pairs: d.endpointPairs.map((p) => [p.from, p.to, p.status, text(p.removed)]),
      });
    };
    expect(run()).toBe(run());
  });
});

describe('aggregateStatus', () => {
  it.each([
    [[1], 'unchanged'],
    [[2], 'opened'],
    [[4], 'closed'],
    [[1, 4], 'narrowed'],
    [[8, 4], 'narrowed'],
    [[1, 16], 'widened'],
    [[2, 1], 'widened'],
    [[2, 4], 'changed'],
    [[32], 'changed'],
  ])('statuses %j aggregate to %s', (bits, status) => {
    expect(aggregateStatus(bits.reduce((a, b) => a | b, 0))).toBe(status);
  });
});
