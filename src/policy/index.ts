/**
 * The policy layer's one entrance: everything outside src/policy imports from here, never from its
 * sub-folders (a lint rule holds it). The compile pipeline, in one screen:
 *
 *   snapshot ──► words/      what a rule's address words mean for one subnet (VirtualNetwork per
 *                            subnet, Internet, service tags, ASGs, public container groups), with the
 *                            unknown memberships the snapshot cannot resolve (sets/unknowns)
 *            ──► compile/side-policy   one side's ordered rules: admin rules, then the subnet's NSG
 *            ──► compile/side-painter  first-match evaluation over address × port cells, as bit sets
 *            ──► compile/side-table    a side's decision table: local slices × remote runs → decision
 *            ──► compile/decision      hash-consed decisions, their meet into what passes both sides
 *            ──► compile/rule-coverage which custom rules are shadowed or removable (set algebra per NSG)
 *            ──► engine.ts             PolicyEngine: tables built on first use, answers for endpoint pairs
 *
 * sets/ holds the set algebra the pipeline computes with (port regions, traffic, partly known
 * address sets); plain intervals, addresses and ports are in src/net, below every stage.
 */
export { compilePolicy, type NsgRuleCoverage, type PolicyEngine } from './engine';
export type { Decider, Decision, PairResult, PairTraffic } from './compile/decision';
export { runIndex, type Runs, type SideTable } from './compile/side-table';
export type { Flow, FlowEnd, FlowProtocol } from './flow';
export { PortRegion } from './sets/port-region';
export { TrafficSet } from './sets/traffic';
export { AZURE_HOST_IP, PUBLIC_IPV4, ipv4SetOf, subnetSpace } from './words/address-words';
export { isPublicGroup, publicGroupsOf } from './words/public-groups';
export { parseServiceTags, type ServiceTags } from './words/service-tags';
