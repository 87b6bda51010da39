/**
 * The rules that decide a finding's traffic. Side decisions are shared by every place that treats
 * traffic alike, so a decision's own deciders may name another NSG's rules: the rules are computed
 * at one concrete pair of addresses of the finding (`PolicyEngine.decidersAt`), as explain does.
 * That replays the side's rules (about 0.3 ms on a 100-rule NSG), so a finding examines one pair:
 * one that carries its most exposed traffic.
 */
import type { Direction } from '../../model/snapshot';
import type { PolicyEngine, TrafficSet } from '../../policy';
import type { FindingRuleRef } from '../findings';
import { engineRuleRef, sortedRuleRefs } from './flow-words';

/** The allowing rules of a subnet side at one address pair, limited to those whose traffic passes `focus`. */
export function decidingRules(
  engine: PolicyEngine,
  subnetId: string,
  direction: Direction,
  localIp: number,
  remoteIp: number,
  focus: (traffic: TrafficSet) => boolean,
): FindingRuleRef[] {
  const refs: FindingRuleRef[] = [];
  for (const d of engine.decidersAt(subnetId, direction, localIp, remoteIp)) {
    if (d.kind === 'rule' && d.outcome === 'allow' && focus(d.traffic))
      refs.push(engineRuleRef(engine, d.ref));
  }
  return sortedRuleRefs(refs);
}
