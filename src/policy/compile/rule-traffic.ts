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
  private readonly byFields = new Map<string, TrafficSet>();

  of(protocol: Protocol, srcPorts: readonly string[], dstPorts: readonly string[]): TrafficSet {
    // Canonical port fields hold digits, `-` and `*` only: `|` and `,` cannot occur inside one.
    const key = `${protocol}|${srcPorts.join(',')}|${dstPorts.join(',')}`;
    let traffic = this.byFields.get(key);
    if (traffic === undefined) {
      traffic = TrafficSet.forRule(protocol, portSetOf(srcPorts), portSetOf(dstPorts));
      this.byFields.set(key, traffic);
    }
    return traffic;
  }
}
