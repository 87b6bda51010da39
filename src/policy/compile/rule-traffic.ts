/**
 * A rule's protocol and port fields as traffic, one shared instance per distinct field values: the
 * same few (`Tcp`, `*`, `443`) recur in every NSG of an estate, and building a port set and region for
 * each of 200,000 rules is most of what compiling them allocates. Traffic sets are immutable, so
 * sharing one changes nothing but the allocation.
 */
import type { Protocol } from '../../model/snapshot';
import { portSetOf } from '../../net/ports';
import { TrafficSet } from '../sets/traffic';

export class RuleTrafficMemo {
  /** By protocol, then source ports, then destination ports (as field text). */
  private readonly byFields = new Map<Protocol, Map<string, Map<string, TrafficSet>>>();

  of(protocol: Protocol, srcPorts: readonly string[], dstPorts: readonly string[]): TrafficSet {
    // Nested maps keyed by each field's own text: no concatenated key to build for 200,000 rules.
    let bySrc = this.byFields.get(protocol);
    if (bySrc === undefined) this.byFields.set(protocol, (bySrc = new Map()));
    const srcKey = fieldKey(srcPorts);
    let byDst = bySrc.get(srcKey);
    if (byDst === undefined) bySrc.set(srcKey, (byDst = new Map()));
    const dstKey = fieldKey(dstPorts);
    let traffic = byDst.get(dstKey);
    if (traffic === undefined) {
      traffic = TrafficSet.forRule(protocol, portSetOf(srcPorts), portSetOf(dstPorts));
      byDst.set(dstKey, traffic);
    }
    return traffic;
  }
}

/** A port field's values as one text (canonical values hold digits, `-` and `*` only: no `,` inside one). */
function fieldKey(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : values.join(',');
}
