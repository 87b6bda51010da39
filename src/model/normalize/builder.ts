/**
 * Builds a snapshot from raw resources, one at a time (so a caller can drop each parsed file before
 * reading the next). Cross-resource work — standalone child rules and routes, static members, network
 * profiles, gateways, duplicate definitions — waits for `finish()`.
 *
 * Decisions (README "import"):
 * - Same resource ID twice: identical after normalization → kept once, silently. Otherwise the first
 *   definition (in sorted file order) wins field by field; a field the first leaves unset (null or
 *   empty list) is taken from the later one; fields set differently in both raise DUPLICATE_RESOURCE.
 * - A standalone security rule (route, static member) whose parent is not in the input creates the
 *   parent — an NSG gets the six default rules — with a DANGLING_REFERENCE warning.
 * - A rule defined inline in its NSG and again as a standalone child: the inline one wins.
 */
import { diagnostic, jsonPath, type Diagnostic } from '../../diagnostics';
import { RESERVED_TAG_WORDS } from '../reserved-words';
import { VERSION } from '../../version';
import { snapshotShapeIssues } from '../snapshot-codec';
import {
  SCHEMA_VERSION,
  Snapshot,
  type ApplicationSecurityGroup,
  type ContainerGroup,
  type NetworkGroup,
  type NetworkSecurityGroup,
  type ResourceOrigin,
  type Route,
  type RouteTable,
  type SecurityAdminRule,
  type SecurityAdminRuleCollection,
  type SecurityRule,
  type Subnet,
  type VirtualNetwork,
  type VirtualNetworkPeering,
} from '../snapshot';
import {
  normalizeAdminRule,
  normalizeNetworkGroup,
  normalizeRuleCollection,
  normalizeStaticMember,
} from './avnm';
import { normalizeContainerGroup } from './container-groups';
import { identityFromId, resourceIdentity, type Identity } from './identity';
import {
  gatewayVirtualNetworkIds,
  networkProfileSubnetIds,
  normalizeApplicationSecurityGroup,
  normalizePeering,
  normalizeRoute,
  normalizeRouteTable,
  normalizeSubnet,
  normalizeVirtualNetwork,
} from './network';
import type { JsonObject, RawResource } from './raw';
import { DiagnosticLog, isTemplateExpression, Reader, Rejected, TemplateExpressionFound } from './reader';
import {
  isTemplateScoped,
  parentResourceId,
  parseResourceId,
  TEMPLATE_SCOPE,
  typeDisplay,
  typeKey,
} from './resource-id';
import { compareRules, DEFAULT_SECURITY_RULES, normalizeSecurityRule, type RuleKind } from './security-rules';

export interface ImportOutcome {
  /** Present only when there was no fatal diagnostic. */
  snapshot?: Snapshot;
  /** Every diagnostic, fatal ones and warnings, in the order they were found. */
  diagnostics: Diagnostic[];
}

interface Origin {
  file: string;
  path: string;
}

interface Entry<T> extends Origin {
  record: T;
}

interface ChildRule extends Origin {
  parentOriginalId: string;
  rule: SecurityRule;
}

interface ChildRoute extends Origin {
  parentOriginalId: string;
  route: Route;
}

interface StaticMember extends Origin {
  groupOriginalId: string;
  memberId: string;
}

type Handler = (rd: Reader, raw: RawResource) => void;

const VNET = 'microsoft.network/virtualnetworks';
const NSG = 'microsoft.network/networksecuritygroups';
const ROUTE_TABLE = 'microsoft.network/routetables';
const CONTAINER_GROUP = 'microsoft.containerinstance/containergroups';
const NETWORK_GROUP = 'microsoft.network/networkmanagers/networkgroups';
const RULE_COLLECTION = 'microsoft.network/networkmanagers/securityadminconfigurations/rulecollections';

/** Incrementally normalizes raw resources into a snapshot. */
export class SnapshotBuilder {
  private readonly log = new DiagnosticLog();
  private readonly vnets = new Map<string, Entry<VirtualNetwork>>();
  private readonly subnets = new Map<string, Entry<Subnet>>();
  private readonly peerings = new Map<string, Entry<VirtualNetworkPeering>>();
  private readonly nsgs = new Map<string, Entry<NetworkSecurityGroup>>();
  private readonly routeTables = new Map<string, Entry<RouteTable>>();
  private readonly asgs = new Map<string, Entry<ApplicationSecurityGroup>>();
  private readonly containerGroups = new Map<string, Entry<ContainerGroup>>();
  private readonly networkGroups = new Map<string, Entry<NetworkGroup>>();
  private readonly ruleCollections = new Map<string, Entry<SecurityAdminRuleCollection>>();
  private readonly adminRules = new Map<string, Entry<SecurityAdminRule>>();
  private readonly childRules: ChildRule[] = [];
  private readonly childRoutes: ChildRoute[] = [];
  private readonly staticMembers: StaticMember[] = [];
  /** Network profile ID → subnet IDs (legacy ACI networking). */
  private readonly networkProfiles = new Map<string, string[]>();
  /** VNet ID → gateway IDs attached to it. */
  private readonly gatewayLinks = new Map<string, Set<string>>();
  /** Where each standalone child rule was defined, for messages about it. */
  private readonly childRuleOrigins = new Map<SecurityRule, Origin>();
  /** Filled by `values` in finish(), with recordOrigins. */
  private readonly origins: ResourceOrigin[] = [];
  private readonly skipped = new Map<string, { type: string; count: number } & Origin>();
  /** Files whose template resources were given placeholder IDs (warned about once per file). */
  private readonly placeholderFiles: string[] = [];
  private readonly handlers: ReadonlyMap<string, Handler>;

  /** `recordOrigins`: each resource keeps the file and JSON path it was read from (import; not collect). */
  constructor(private readonly options: { recordOrigins?: boolean } = {}) {
    this.handlers = new Map<string, Handler>([
      [VNET, (rd, raw) => this.addVirtualNetwork(rd, raw)],
      [`${VNET}/subnets`, (rd, raw) => this.addSubnet(rd, raw)],
      [`${VNET}/virtualnetworkpeerings`, (rd, raw) => this.addPeering(rd, raw)],
      [NSG, (rd, raw) => this.addNsg(rd, raw)],
      [`${NSG}/securityrules`, (rd, raw) => this.addChildRule(rd, raw)],
      [ROUTE_TABLE, (rd, raw) => this.addRouteTable(rd, raw)],
      [`${ROUTE_TABLE}/routes`, (rd, raw) => this.addChildRoute(rd, raw)],
      ['microsoft.network/applicationsecuritygroups', (rd, raw) => this.addAsg(rd, raw)],
      [CONTAINER_GROUP, (rd, raw) => this.addContainerGroup(rd, raw)],
      ['microsoft.network/networkprofiles', (rd, raw) => this.addNetworkProfile(rd, raw)],
      ['microsoft.network/virtualnetworkgateways', (rd, raw) => this.addGateway(rd, raw)],
      [NETWORK_GROUP, (rd, raw) => this.addNetworkGroup(rd, raw)],
      [`${NETWORK_GROUP}/staticmembers`, (rd, raw) => this.addStaticMember(rd, raw)],
      [RULE_COLLECTION, (rd, raw) => this.addRuleCollection(rd, raw)],
      [`${RULE_COLLECTION}/rules`, (rd, raw) => this.addAdminRule(rd, raw)],
    ]);
  }

  /** Records a diagnostic found outside normalization (unreadable file, invalid JSON, unknown shape). */
  report(d: Diagnostic): void {
    this.log.push(d);
  }

  /** Normalizes one raw resource (or counts it as skipped when aciseg does not model its type). */
  add(raw: RawResource): void {
    const rd = new Reader(this.log, raw.file, raw.template !== null);
    let type = raw.type;
    if (raw.template !== null && isTemplateExpression(type)) {
      rd.warn(
        'TEMPLATE_EXPRESSION',
        templateMessage(null, raw, 'the resource type is a template expression'),
        jsonPath(raw.path, 'type'),
      );
      return;
    }
    if (type === null && raw.id !== null) type = parseResourceId(raw.id)?.type ?? null;
    if (type === null) {
      this.report(
        diagnostic(
          'UNRECOGNISED_SHAPE',
          'this object has no "type" and its "id" is not an ARM resource ID, so its resource type is unknown',
          raw.file,
          raw.path,
        ),
      );
      return;
    }
    const key = typeKey(type);
    const handler = this.handlers.get(key);
    if (handler === undefined) {
      this.countSkipped(key, typeDisplay(type), raw);
      return;
    }
    const template = raw.template;
    if (template !== null) {
      if (template.fullName === null) {
        this.report(
          diagnostic(
            'MISSING_FIELD',
            'the template resource has no literal name',
            raw.file,
            template.namePath,
          ),
        );
        return;
      }
      if (template.unresolved !== null) {
        rd.warn(
          'TEMPLATE_EXPRESSION',
          templateMessage(typeDisplay(type), raw, template.unresolved.reason),
          template.unresolved.path,
        );
        return;
      }
    }
    try {
      handler(rd, raw);
      if (template !== null && isTemplateScoped(raw.id ?? '') && !this.placeholderFiles.includes(raw.file))
        this.placeholderFiles.push(raw.file);
    } catch (e) {
      if (e instanceof TemplateExpressionFound) {
        rd.warn(
          'TEMPLATE_EXPRESSION',
          templateMessage(
            typeDisplay(type),
            raw,
            'this value is a template expression, which aciseg does not evaluate',
          ),
          e.path,
        );
      } else if (!(e instanceof Rejected)) {
        throw e;
      }
    }
  }

  private countSkipped(key: string, display: string, origin: Origin): void {
    const seen = this.skipped.get(key);
    if (seen === undefined) {
      this.skipped.set(key, { type: display, count: 1, file: origin.file, path: origin.path });
      return;
    }
    seen.count++;
    // Resource Graph lower-cases types; prefer a spelling with the provider's own casing when one turns up.
    if (seen.type === seen.type.toLowerCase() && display !== display.toLowerCase()) seen.type = display;
  }

  private put<T extends { id: string }>(
    kind: string,
    map: Map<string, Entry<T>>,
    record: T,
    origin: Origin,
    rd: Reader,
  ): void {
    const existing = map.get(record.id);
    if (existing === undefined) {
      map.set(record.id, { record, file: origin.file, path: origin.path });
      return;
    }
    mergeDuplicate(kind, existing, record, origin, rd);
  }

  private addVirtualNetwork(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    const parts = normalizeVirtualNetwork(rd, ident, raw.id as string, raw.value, raw.path);
    this.put('virtual network', this.vnets, parts.vnet, raw, rd);
    for (const s of parts.subnets)
      this.put('subnet', this.subnets, s.record, { file: raw.file, path: s.path }, rd);
    for (const p of parts.peerings)
      this.put('peering', this.peerings, p.record, { file: raw.file, path: p.path }, rd);
    for (const g of parts.gatewayIds) this.linkGateway(ident.id, g);
  }

  private addSubnet(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    const gateways: string[] = [];
    const subnet = normalizeSubnet(rd, ident, raw.id as string, raw.value, raw.path, gateways);
    this.put('subnet', this.subnets, subnet, raw, rd);
    for (const g of gateways) this.linkGateway(subnet.virtualNetworkId, g);
  }

  private addPeering(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    this.put(
      'peering',
      this.peerings,
      normalizePeering(rd, ident, raw.id as string, raw.value, raw.path),
      raw,
      rd,
    );
  }

  private linkGateway(vnetId: string, gatewayId: string): void {
    let set = this.gatewayLinks.get(vnetId);
    if (set === undefined) {
      set = new Set();
      this.gatewayLinks.set(vnetId, set);
    }
    set.add(gatewayId);
  }

  private addNsg(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    const location = rd.info(raw.value, 'location');
    const [p, pp] = rd.props(raw.value, raw.path);
    const securityRules = this.rules(rd, p, pp, 'securityRules', 'custom');
    let defaultSecurityRules = this.rules(rd, p, pp, 'defaultSecurityRules', 'default');
    // Resource Graph rows, SDK objects and templates may lack the defaults; Azure always has them (docs/semantics.md decision 1).
    if (defaultSecurityRules.length === 0) defaultSecurityRules = DEFAULT_SECURITY_RULES.slice();
    securityRules.sort(compareRules);
    defaultSecurityRules.sort(compareRules);
    this.put(
      'network security group',
      this.nsgs,
      { ...ident, location, securityRules, defaultSecurityRules },
      raw,
      rd,
    );
  }

  /**
   * The rules of one list, each checked on its own so every bad rule is reported. Two rules with one
   * name: identical ones are kept once, different ones raise DUPLICATE_RESOURCE (the first stays).
   * Two rules with one priority in one direction: DUPLICATE_PRIORITY (Azure forbids it; the order
   * between them would be a guess).
   */
  private rules(rd: Reader, p: JsonObject, pp: string, key: string, kind: RuleKind): SecurityRule[] {
    const items = rd.list(p, key, pp);
    if (items.length === 0) return [];
    const base = jsonPath(pp, key);
    const out: SecurityRule[] = [];
    const paths: string[] = [];
    const byName = new Map<string, number>();
    const byPriority = new Map<number, number>();
    let rejected = false;
    for (let i = 0; i < items.length; i++) {
      const path = `${base}[${i}]`;
      try {
        const rule = normalizeSecurityRule(rd, rd.itemObject(items[i], base, i), path, kind);
        const nameKey = rule.name.toLowerCase();
        const sameName = byName.get(nameKey);
        if (sameName !== undefined) {
          const kept = out[sameName] as SecurityRule;
          warnDuplicateMember(
            rd,
            'security rule',
            rule.name,
            kept,
            rule,
            { file: rd.file, path: paths[sameName] as string },
            { file: rd.file, path },
          );
          continue;
        }
        const priorityKey = (rule.direction === 'Inbound' ? 0 : 100000) + rule.priority;
        const samePriority = byPriority.get(priorityKey);
        if (samePriority !== undefined) {
          const first = out[samePriority] as SecurityRule;
          rd.log.push(
            duplicatePriority(
              first,
              rule,
              { file: rd.file, path: paths[samePriority] as string },
              { file: rd.file, path },
            ),
          );
          rejected = true;
          continue;
        }
        byName.set(nameKey, out.length);
        byPriority.set(priorityKey, out.length);
        out.push(rule);
        paths.push(path);
      } catch (e) {
        if (!(e instanceof Rejected)) throw e;
        rejected = true;
      }
    }
    if (rejected) throw new Rejected('a rule was rejected');
    return out;
  }

  private addChildRule(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    const parent = parentResourceId(raw.id as string);
    if (parent === null)
      rd.fatal('INVALID_VALUE', 'a security rule id must name its NSG', jsonPath(raw.path, 'id'));
    const rule = normalizeSecurityRule(rd, raw.value, raw.path, 'custom', ident.name);
    this.childRuleOrigins.set(rule, { file: raw.file, path: raw.path });
    this.childRules.push({ parentOriginalId: parent, rule, file: raw.file, path: raw.path });
  }

  private addRouteTable(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    const { table, routePaths } = normalizeRouteTable(rd, ident, raw.value, raw.path);
    // Inline routes with the same name: the first one stays (Azure allows one route per name).
    const kept: Route[] = [];
    const keptPaths: string[] = [];
    table.routes.forEach((route, i) => {
      const j = kept.findIndex((r) => r.name.toLowerCase() === route.name.toLowerCase());
      const path = routePaths[i] as string;
      if (j < 0) {
        kept.push(route);
        keptPaths.push(path);
      } else {
        warnDuplicateMember(
          rd,
          'route',
          route.name,
          kept[j] as Route,
          route,
          { file: raw.file, path: keptPaths[j] as string },
          { file: raw.file, path },
        );
      }
    });
    table.routes = sortRoutes(kept);
    this.put('route table', this.routeTables, table, raw, rd);
  }

  private addChildRoute(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    const parent = parentResourceId(raw.id as string);
    if (parent === null)
      rd.fatal('INVALID_VALUE', 'a route id must name its route table', jsonPath(raw.path, 'id'));
    const route = normalizeRoute(rd, raw.value, raw.path, ident.name);
    this.childRoutes.push({ parentOriginalId: parent, route, file: raw.file, path: raw.path });
  }

  private addAsg(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    this.put(
      'application security group',
      this.asgs,
      normalizeApplicationSecurityGroup(rd, ident, raw.value),
      raw,
      rd,
    );
  }

  private addContainerGroup(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    this.put(
      'container group',
      this.containerGroups,
      normalizeContainerGroup(rd, ident, raw.value, raw.path),
      raw,
      rd,
    );
  }

  private addNetworkProfile(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    const subnetIds = networkProfileSubnetIds(rd, raw.value, raw.path);
    if (!this.networkProfiles.has(ident.id)) this.networkProfiles.set(ident.id, subnetIds);
  }

  private addGateway(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    for (const vnetId of gatewayVirtualNetworkIds(rd, raw.value, raw.path))
      this.linkGateway(vnetId, ident.id);
  }

  private addNetworkGroup(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    this.put('network group', this.networkGroups, normalizeNetworkGroup(ident), raw, rd);
  }

  private addStaticMember(rd: Reader, raw: RawResource): void {
    resourceIdentity(rd, raw);
    const { memberId } = normalizeStaticMember(rd, raw.id as string, raw.value, raw.path);
    const group = parentResourceId(raw.id as string) as string;
    this.staticMembers.push({ groupOriginalId: group, memberId, file: raw.file, path: raw.path });
  }

  private addRuleCollection(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    const collection = normalizeRuleCollection(rd, ident, raw.id as string, raw.value, raw.path);
    this.put('admin rule collection', this.ruleCollections, collection, raw, rd);
  }

  private addAdminRule(rd: Reader, raw: RawResource): void {
    const ident = resourceIdentity(rd, raw);
    const rule = normalizeAdminRule(rd, ident, raw.id as string, raw.value, raw.path);
    if (rule !== null) this.put('admin rule', this.adminRules, rule, raw, rd);
  }

  /** Resolves cross-resource references, checks what needs the whole input, and builds the snapshot. */
  finish(): ImportOutcome {
    this.attachChildRules();
    this.attachChildRoutes();
    this.attachStaticMembers();
    this.checkAdminRulePriorities();
    const containerGroups = this.resolveNetworkProfiles();
    for (const s of this.skipped.values()) {
      this.log.push(
        diagnostic(
          'SKIPPED_RESOURCE_TYPE',
          `${s.count} resource${s.count === 1 ? '' : 's'} of type ${s.type} skipped: aciseg does not model this type`,
          s.file,
          s.path,
        ),
      );
    }
    for (const file of this.placeholderFiles) {
      this.log.push(
        diagnostic(
          'UNKNOWN_VALUE',
          `ARM template resources carry no resource IDs: they are placed in the placeholder scope ${TEMPLATE_SCOPE}, with resourceGroup and subscriptionId null`,
          file,
          null,
        ),
      );
    }
    this.warnReservedNames();
    if (this.log.fatalCount > 0) return { diagnostics: this.log.list };

    const vnets = this.values(this.vnets);
    for (const vnet of vnets) {
      const gateways = this.gatewayLinks.get(vnet.id);
      if (gateways !== undefined) vnet.gatewayIds = [...gateways].sort();
    }
    const snapshot: Snapshot = {
      schemaVersion: SCHEMA_VERSION,
      generator: { name: 'aciseg', version: VERSION },
      source: { kind: 'import', collectedAt: null },
      virtualNetworks: vnets,
      subnets: this.values(this.subnets),
      virtualNetworkPeerings: this.values(this.peerings),
      networkSecurityGroups: this.values(this.nsgs),
      routeTables: this.values(this.routeTables),
      applicationSecurityGroups: this.values(this.asgs),
      containerGroups,
      networkGroups: this.values(this.networkGroups),
      securityAdminRuleCollections: this.values(this.ruleCollections),
      securityAdminRules: this.values(this.adminRules),
      skippedResourceTypes: [...this.skipped.values()]
        .map((s) => ({ type: s.type, count: s.count }))
        .sort((a, b) => compareText(a.type.toLowerCase(), b.type.toLowerCase())),
      diagnostics: this.log.list.slice(),
      origins: this.origins.sort((a, b) => compareText(a.id, b.id)),
    };
    validateSnapshot(snapshot);
    return { snapshot, diagnostics: this.log.list };
  }

  /**
   * Sorted records of a map (by lower-cased ID, plain code-unit order for determinism); when origins are
   * recorded, the origin of each one's first definition is noted.
   */
  private values<T extends { id: string }>(map: Map<string, Entry<T>>): T[] {
    return [...map.keys()].sort(compareText).map((k) => {
      const entry = map.get(k) as Entry<T>;
      if (this.options.recordOrigins)
        this.origins.push({ id: entry.record.id, file: entry.file, path: entry.path });
      return entry.record;
    });
  }

  /** A resource named like a tag (`internet`, `*`…): endpoints read that word as the tag, never as it. */
  private warnReservedNames(): void {
    const kinds: [string, Map<string, Entry<{ id: string; name: string }>>, (name: string) => string][] = [
      ['container group', this.containerGroups, (name) => `its resource ID or cg:${name}`],
      ['subnet', this.subnets, () => 'its resource ID or <vnet>/<subnet>'],
      ['virtual network', this.vnets, () => 'its resource ID'],
    ];
    for (const [kind, map, how] of kinds) {
      for (const { record, file, path } of map.values()) {
        const tag = RESERVED_TAG_WORDS.get(record.name.toLowerCase());
        if (tag === undefined) continue;
        this.log.push(
          diagnostic(
            'RESERVED_NAME',
            `${kind} ${JSON.stringify(record.name)} is named like the tag ${tag}: as an endpoint ${JSON.stringify(record.name)} means the tag; reach this ${kind} by ${how(record.name)}`,
            file,
            jsonPath(path, 'name'),
          ),
        );
      }
    }
  }

  private attachChildRules(): void {
    for (const child of this.childRules) {
      const rd = new Reader(this.log, child.file, false);
      const nsgId = child.parentOriginalId.toLowerCase();
      let entry = this.nsgs.get(nsgId);
      if (entry === undefined) {
        const ident = placeholderIdentity(child.parentOriginalId);
        rd.warn(
          'DANGLING_REFERENCE',
          `security rule ${JSON.stringify(child.rule.name)} belongs to NSG ${JSON.stringify(ident.name)}, which is not in the input; ` +
            'created that NSG with the six default rules and its standalone rules (import the NSG itself for its full rule set)',
          child.path,
        );
        entry = {
          record: {
            ...ident,
            location: null,
            securityRules: [],
            defaultSecurityRules: DEFAULT_SECURITY_RULES.slice(),
          },
          file: child.file,
          path: child.path,
        };
        this.nsgs.set(nsgId, entry);
      }
      const rules = entry.record.securityRules;
      const inNsg = { file: entry.file, path: entry.path };
      const same = rules.find((r) => r.name.toLowerCase() === child.rule.name.toLowerCase());
      if (same !== undefined) {
        warnDuplicateMember(
          rd,
          'security rule',
          child.rule.name,
          same,
          child.rule,
          this.childRuleOrigins.get(same) ?? inNsg,
          child,
        );
        continue;
      }
      const clash = rules.find(
        (r) => r.direction === child.rule.direction && r.priority === child.rule.priority,
      );
      if (clash !== undefined) {
        this.log.push(duplicatePriority(clash, child.rule, this.childRuleOrigins.get(clash) ?? inNsg, child));
        continue;
      }
      rules.push(child.rule);
    }
    if (this.childRules.length > 0)
      for (const entry of this.nsgs.values()) entry.record.securityRules.sort(compareRules);
  }

  private attachChildRoutes(): void {
    for (const child of this.childRoutes) {
      const rd = new Reader(this.log, child.file, false);
      const tableId = child.parentOriginalId.toLowerCase();
      let entry = this.routeTables.get(tableId);
      if (entry === undefined) {
        const ident = placeholderIdentity(child.parentOriginalId);
        rd.warn(
          'DANGLING_REFERENCE',
          `route ${JSON.stringify(child.route.name)} belongs to route table ${JSON.stringify(ident.name)}, which is not in the input; ` +
            'created that route table with its standalone routes',
          child.path,
        );
        entry = {
          record: { ...ident, location: null, disableBgpRoutePropagation: false, routes: [] },
          file: child.file,
          path: child.path,
        };
        this.routeTables.set(tableId, entry);
      }
      const routes = entry.record.routes;
      const same = routes.find((r) => r.name.toLowerCase() === child.route.name.toLowerCase());
      if (same === undefined) routes.push(child.route);
      else warnDuplicateMember(rd, 'route', child.route.name, same, child.route, entry, child);
    }
    if (this.childRoutes.length > 0) {
      for (const entry of this.routeTables.values()) entry.record.routes = sortRoutes(entry.record.routes);
    }
  }

  private attachStaticMembers(): void {
    for (const member of this.staticMembers) {
      const groupId = member.groupOriginalId.toLowerCase();
      let entry = this.networkGroups.get(groupId);
      if (entry === undefined) {
        const ident = placeholderIdentity(member.groupOriginalId);
        this.log.push(
          diagnostic(
            'DANGLING_REFERENCE',
            `static member belongs to network group ${JSON.stringify(ident.name)}, which is not in the input; created that group`,
            member.file,
            member.path,
          ),
        );
        entry = { record: normalizeNetworkGroup(ident), file: member.file, path: member.path };
        this.networkGroups.set(groupId, entry);
      }
      if (!entry.record.staticMemberIds.includes(member.memberId))
        entry.record.staticMemberIds.push(member.memberId);
    }
    for (const entry of this.networkGroups.values()) entry.record.staticMemberIds.sort();
  }

  /**
   * Admin rule priorities must not tie within a collection. Only ties in the same direction are
   * rejected: they are the ones that make evaluation order ambiguous.
   */
  private checkAdminRulePriorities(): void {
    const seen = new Map<string, Entry<SecurityAdminRule>>();
    for (const entry of this.adminRules.values()) {
      const r = entry.record;
      const key = `${r.ruleCollectionId}\n${r.direction}\n${r.priority}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, entry);
        continue;
      }
      this.log.push(
        diagnostic(
          'DUPLICATE_PRIORITY',
          `admin rules ${JSON.stringify(first.record.name)} and ${JSON.stringify(r.name)} of one rule collection both have ` +
            `${r.direction} priority ${r.priority} (the first is at ${describeOrigin(first, entry.file)})`,
          entry.file,
          entry.path,
        ),
      );
    }
  }

  private resolveNetworkProfiles(): ContainerGroup[] {
    const groups = this.values(this.containerGroups);
    for (const entry of this.containerGroups.values()) {
      const group = entry.record;
      if (group.networkProfileId === null) continue;
      const subnets = this.networkProfiles.get(group.networkProfileId);
      if (subnets === undefined || subnets.length === 0) {
        if (group.subnetIds.length === 0) {
          this.log.push(
            diagnostic(
              'UNRESOLVED_SUBNET',
              `container group ${JSON.stringify(group.name)} uses network profile ${group.networkProfileId}, which is not in the input; ` +
                'its subnet is unknown (import the network profile too)',
              entry.file,
              entry.path,
            ),
          );
        }
        continue;
      }
      group.subnetIds = [...new Set([...group.subnetIds, ...subnets])].sort();
    }
    return groups;
  }
}

/**
 * Checks the snapshot against the zod `Snapshot` schema; a mismatch is a bug in normalization (an
 * internal error). The resource arrays are checked element by element with the schema's own element
 * types: the same checks as one `Snapshot.safeParse`, but each element's parsed copy dies young
 * instead of a deep copy of the whole estate staying alive until the end (half the time on large
 * estates).
 */
function validateSnapshot(snapshot: Snapshot): void {
  const issues = snapshotShapeIssues(snapshot);
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new Error(
      `the normalized snapshot does not match its schema at $${first.path.map((p: PropertyKey) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${first.message.slice(0, 2000)}`,
    );
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortRoutes(routes: Route[]): Route[] {
  return routes.sort(
    (a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.name, b.name),
  );
}

function placeholderIdentity(originalId: string): Identity {
  const parsed = parseResourceId(originalId);
  return identityFromId(originalId, parsed?.names[parsed.names.length - 1] ?? originalId);
}

function describeOrigin(origin: Origin, currentFile: string): string {
  return origin.file === currentFile ? origin.path : `${origin.file}: ${origin.path}`;
}

function templateMessage(type: string | null, raw: RawResource, reason: string): string {
  const name = raw.template?.fullName;
  const what = type === null ? 'a template resource' : `${type} ${JSON.stringify(name ?? '')}`;
  return `skipped ${what}: ${reason} (import the deployed resources, e.g. 'az resource show' or Resource Graph output, to analyse it)`;
}

function isUnset(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

/** Merges a second definition of the same resource into the first (see the module comment). */
function mergeDuplicate<T>(kind: string, existing: Entry<T>, later: T, origin: Origin, rd: Reader): void {
  const a = existing.record as Record<string, unknown>;
  const b = later as Record<string, unknown>;
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const differing: string[] = [];
  for (const key of Object.keys(a)) {
    const av = a[key];
    const bv = b[key];
    if (JSON.stringify(av) === JSON.stringify(bv)) continue;
    if (isUnset(av)) a[key] = bv;
    else if (!isUnset(bv)) differing.push(key);
  }
  if (differing.length === 0) return;
  rd.warn(
    'DUPLICATE_RESOURCE',
    `${kind} ${String(a['id'])} is also defined at ${describeOrigin(existing, origin.file)}, differing in ${differing.join(', ')}; ` +
      'keeping that first definition',
    origin.path,
  );
}

/** Azure requires a unique priority per NSG and direction; with two rules at one priority the order is unknown. */
function duplicatePriority(
  first: SecurityRule,
  second: SecurityRule,
  firstAt: Origin,
  secondAt: Origin,
): Diagnostic {
  return diagnostic(
    'DUPLICATE_PRIORITY',
    `rules ${JSON.stringify(first.name)} and ${JSON.stringify(second.name)} both have ${second.direction} priority ${second.priority} ` +
      `(the first is at ${describeOrigin(firstAt, secondAt.file)}); Azure requires a unique priority per NSG and direction`,
    secondAt.file,
    secondAt.path,
  );
}

function warnDuplicateMember<T>(
  rd: Reader,
  kind: string,
  name: string,
  kept: T,
  dropped: T,
  keptOrigin: Origin | undefined,
  droppedOrigin: Origin,
): void {
  if (JSON.stringify(kept) === JSON.stringify(dropped)) return;
  const where = keptOrigin === undefined ? '' : ` at ${describeOrigin(keptOrigin, droppedOrigin.file)}`;
  rd.warn(
    'DUPLICATE_RESOURCE',
    `${kind} ${JSON.stringify(name)} is defined twice with different values; keeping the first definition${where}`,
    droppedOrigin.path,
  );
}
