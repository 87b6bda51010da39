/**
 * ACI013 observed-flow-denied: with flow logs, flows that were observed and denied — likely breakage.
 * Aggregated per (source place, destination place), one finding each, listing the denied
 * (protocol, port) pairs with what was seen, and the rule that denies them (as logged, and as the
 * engine decides it on the snapshot).
 */
import { formatIpv4 } from '../../net/address';
import type { PolicyEngine, PairResult } from '../../policy';
import type { FindingFlow, FindingResource, FindingRuleRef } from '../findings';
import { FLOWS_PER_FINDING } from '../findings';
import { keyDraft, type FindingDraft, type ObservedFlowInput, type PackRule } from './rule';
import { flowProtocolOf, PlaceFinder, windowWords, type Located, type Place } from './observed-places';
import {
  endpointNames,
  engineRuleRef,
  explainCommand,
  namesText,
  ruleResource,
  subnetResource,
} from './flow-words';

interface Denied {
  protocol: 'Tcp' | 'Udp' | 'Icmp';
  port: number | null;
  tuples: number;
  flowsStarted: number;
  firstSeen: string;
  lastSeen: string;
  /** The lowest (source, destination) address pair seen: what the engine and explain are asked about. */
  src: Located;
  dst: Located;
  logged: Set<string>;
}

interface PairOfPlaces {
  src: Place;
  dst: Place;
  flows: Map<string, Denied>;
}

export const observedFlowDenied: PackRule = {
  meta: {
    id: 'ACI013',
    name: 'observed-flow-denied',
    title: 'Observed flows denied (likely breakage)',
    severity: 'medium',
    description:
      'With flow logs (--flows): flows that were observed and denied, which usually means something ' +
      'tried to talk and broke. Aggregated per source and destination (a subnet, a public container ' +
      'group, the Internet, a VNet space outside its subnets, other private space), one finding each, ' +
      'listing every denied protocol and port with tuples and first and last seen. Names the denying rule ' +
      'as the log names it and as the engine decides it on the snapshot (for the lowest address pair ' +
      'seen). Denied flows from outside the VNets (the Internet, scanners) are low; when the snapshot now ' +
      'allows every one of them, info. Protocols other than TCP, UDP and ICMP are not evaluated.',
    remediation:
      'If the flow is wanted, allow it with a narrow rule (source, destination, protocol and port as ' +
      'observed) above the denying rule; if not, accept the finding with a reason.',
    controls: { mcsb: ['NS-1', 'LT-4'], cis: [] },
  },
  // It reads no reachability.
  pairPaths: () => 'none',
  run(context) {
    if (!context.observed) return [];
    const finder = new PlaceFinder(context.engine.index);
    const pairs = new Map<string, PairOfPlaces>();
    for (const f of context.observed.flows) {
      if (f.decision !== 'deny') continue;
      const protocol = flowProtocolOf(f.protocol);
      if (protocol === null) continue;
      const src = finder.locate(f.source);
      const dst = finder.locate(f.destination);
      const pairKey = `${src.place.key} ${dst.place.key}`;
      let pair = pairs.get(pairKey);
      if (!pair) {
        pair = { src: src.place, dst: dst.place, flows: new Map() };
        pairs.set(pairKey, pair);
      }
      add(pair, f, protocol, src, dst);
    }
    const window = windowWords(context.observed.window);
    const drafts: FindingDraft[] = [];
    for (const pair of [...pairs.values()].sort((a, b) =>
      compareText(`${a.src.key} ${a.dst.key}`, `${b.src.key} ${b.dst.key}`),
    ))
      drafts.push(finding(context.engine, pair, window, context.detail === 'keys'));
    return drafts;
  },
};

function add(
  pair: PairOfPlaces,
  f: ObservedFlowInput,
  protocol: Denied['protocol'],
  src: Located,
  dst: Located,
): void {
  const port = protocol === 'Icmp' ? null : f.destinationPort;
  const key = `${protocol} ${port}`;
  let d = pair.flows.get(key);
  if (!d) {
    d = {
      protocol,
      port,
      tuples: 0,
      flowsStarted: 0,
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
      src,
      dst,
      logged: new Set(),
    };
    pair.flows.set(key, d);
  }
  d.tuples += f.tuples;
  d.flowsStarted += f.flowsStarted;
  if (f.firstSeen < d.firstSeen) d.firstSeen = f.firstSeen;
  if (f.lastSeen > d.lastSeen) d.lastSeen = f.lastSeen;
  if (addressOrder(src, dst) < addressOrder(d.src, d.dst)) {
    d.src = src;
    d.dst = dst;
  }
  if (f.rule) d.logged.add(f.rule);
}

/** Orders address pairs numerically (unparsed addresses last), so the sample pair is deterministic. */
function addressOrder(src: Located, dst: Located): number {
  return (src.ip ?? 2 ** 32) * 2 ** 33 + (dst.ip ?? 2 ** 32);
}

/** What the snapshot's policy does with the sample flow, and the rules that deny it. */
function judge(
  engine: PolicyEngine,
  d: Denied,
  withDeniers: boolean,
): { verdict: FindingFlow['verdict']; deniers: FindingRuleRef[] } {
  if (
    d.src.end === null ||
    d.dst.end === null ||
    d.src.ip === d.dst.ip ||
    (d.protocol !== 'Icmp' && d.port === null)
  )
    return { verdict: 'unknown', deniers: [] };
  let result: PairResult;
  try {
    result = engine.pairResult(d.src.end, d.dst.end);
  } catch {
    return { verdict: 'unknown', deniers: [] }; // an end the engine cannot place (an address outside its subnet)
  }
  const has = (t: PairResult['allow'], full: boolean): boolean => {
    if (d.protocol === 'Icmp') return t.icmp;
    const ports = t.region(d.protocol).sourcePortsFor(d.port!);
    return full ? ports.isFull : !ports.isEmpty;
  };
  const verdict: FindingFlow['verdict'] = has(result.allow, true)
    ? 'allow'
    : has(result.allow, false)
      ? 'partial'
      : has(result.unknown, false)
        ? 'unknown'
        : 'deny';
  const deniers: FindingRuleRef[] = [];
  if (verdict !== 'allow' && withDeniers) {
    // A decision's deciders are computed once per decision (many flows share one).
    for (const side of [result.out, result.in]) {
      for (const decider of side.deciders) {
        if (decider.kind !== 'rule' || decider.outcome !== 'deny' || !has(decider.traffic, false)) continue;
        deniers.push(engineRuleRef(engine, decider.ref));
      }
    }
  }
  return { verdict, deniers };
}

/** The finding of one place pair; `keysOnly`: its identity and severity alone (RuleContext.detail). */
function finding(engine: PolicyEngine, pair: PairOfPlaces, window: string, keysOnly: boolean): FindingDraft {
  const denied = [...pair.flows.values()].sort(
    (a, b) => b.tuples - a.tuples || compareText(a.protocol, b.protocol) || (a.port ?? -1) - (b.port ?? -1),
  );
  const rules = new Map<string, FindingRuleRef>();
  const flows: FindingFlow[] = [];
  let allAllowedNow = true;
  denied.forEach((d, i) => {
    // The engine is asked about the flows the finding lists; the rest are counted.
    if (i >= FLOWS_PER_FINDING) return;
    const { verdict, deniers } = judge(engine, d, !keysOnly);
    if (verdict !== 'allow') allAllowedNow = false;
    for (const r of deniers) rules.set(r.id, r);
    flows.push({
      from: pair.src.label,
      to: pair.dst.label,
      fromKey: pair.src.kind === 'publicContainerGroup' ? pair.src.key : null,
      toKey: pair.dst.kind === 'publicContainerGroup' ? pair.dst.key : null,
      protocol: d.protocol === 'Tcp' ? 'tcp' : d.protocol === 'Udp' ? 'udp' : 'icmp',
      ports: d.port === null ? '-' : String(d.port),
      verdict,
      observed: {
        tuples: d.tuples,
        flowsStarted: d.flowsStarted,
        firstSeen: d.firstSeen,
        lastSeen: d.lastSeen,
      },
    });
  });
  const logged = [...new Set(denied.flatMap((d) => [...d.logged]))].sort();
  const outside = !['subnet', 'publicContainerGroup'].includes(pair.src.kind);
  const severity = allAllowedNow ? 'info' : outside ? 'low' : 'medium';
  const identity = [`from:${pair.src.key}`, `to:${pair.dst.key}`];
  if (keysOnly) return keyDraft(identity, severity, undefined);
  const what = flows.map(
    (f) => `${f.protocol}${f.ports === '-' ? '' : ` ${f.ports}`} (${f.observed!.tuples} tuples)`,
  );
  const deniedBy = [...rules.values()].map(
    (r) => `${r.containerName}/${r.name} (${r.direction}, ${r.priority})`,
  );
  const top = denied[0]!;
  const names = endpointNames(engine.index);
  const resources: FindingResource[] = [];
  for (const p of [pair.src, pair.dst]) {
    if (p.subnet) resources.push(subnetResource(names, p.subnet));
    if (p.group) resources.push({ kind: 'containerGroup', id: p.group.id, name: p.group.name });
  }
  for (const r of rules.values()) resources.push(ruleResource(r));
  return {
    severity,
    message:
      `Flows from ${pair.src.label} to ${pair.dst.label} were observed denied in ${window}: ${namesText(what, 5)}` +
      (deniedBy.length > 0 ? `; the snapshot denies them with ${namesText(deniedBy, 3)}` : '') +
      (allAllowedNow ? '; the snapshot now allows them (the logs predate a change?)' : '') +
      (logged.length > 0 ? `; logged as ${namesText(logged, 3)}` : ''),
    resources,
    flows,
    flowsOmitted: Math.max(0, denied.length - FLOWS_PER_FINDING),
    rules: [...rules.values()],
    explain:
      top.src.ip !== null && top.dst.ip !== null
        ? explainCommand(
            formatIpv4(top.src.ip),
            formatIpv4(top.dst.ip),
            top.protocol === 'Tcp' ? 'tcp' : top.protocol === 'Udp' ? 'udp' : 'icmp',
            top.port,
          )
        : null,
    location: null,
    identity,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
