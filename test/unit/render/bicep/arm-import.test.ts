/**
 * ARM round trip: an ARM template printed from a tree that declares an NSG with literal rules
 * imports with `aciseg import` (src/collect/files/template.ts) into a snapshot holding those rules.
 * The NSG tree is built here only; the printer knows nothing about NSGs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { printArmTemplate } from '../../../../src/render/arm/template';
import { printBicep } from '../../../../src/render/bicep/print';
import {
  arr,
  call,
  description,
  int,
  member,
  obj,
  props,
  ref,
  str,
  type Expr,
} from '../../../../src/render/bicep/syntax';
import { parseSnapshotText } from '../../../../src/model/snapshot-codec';
import { parseBicep } from '../../../support/bicep-parse';
import { runCapture } from '../../../support/cli';

interface RuleSpec {
  name: string;
  description: string;
  priority: number;
  direction: 'Inbound' | 'Outbound';
  access: 'Allow' | 'Deny';
  protocol: string;
  source: Expr;
  destination: Expr;
  destinationPorts: Expr;
}

const rules: RuleSpec[] = [
  {
    name: 'allow-appgw-to-aci-8080',
    description: "Only the gateway's subnet may reach the app port",
    priority: 200,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    source: str('10.0.1.0/24'),
    destination: str('10.0.2.0/24'),
    destinationPorts: str('8080'),
  },
  {
    name: 'deny-vnet-inbound',
    description: '[not an expression] ${nor this} [x]',
    priority: 4000,
    direction: 'Inbound',
    access: 'Deny',
    protocol: '*',
    source: str('VirtualNetwork'),
    destination: str('*'),
    destinationPorts: str('*'),
  },
  {
    name: 'allow-aci-to-sql',
    description: 'SQL servers\nand the redirect range',
    priority: 210,
    direction: 'Outbound',
    access: 'Allow',
    protocol: 'Tcp',
    source: str('10.0.2.0/24'),
    destination: arr(str('10.20.1.4/32'), str('10.20.1.5/32')),
    destinationPorts: arr(str('1433'), str('11000-11999')),
  },
];

/** One rule as a Bicep author writes it: singular or plural fields, never both. */
function ruleObject(r: RuleSpec): Expr {
  const plural = (singular: string, e: Expr): [string, Expr] => [
    e.kind === 'array' ? `${singular}es` : singular,
    e,
  ];
  return obj(
    ['name', str(r.name)],
    [
      'properties',
      obj(
        ['description', str(r.description)],
        ['priority', int(r.priority)],
        ['direction', str(r.direction)],
        ['access', str(r.access)],
        ['protocol', str(r.protocol)],
        plural('sourceAddressPrefix', r.source),
        ['sourcePortRange', str('*')],
        plural('destinationAddressPrefix', r.destination),
        r.destinationPorts.kind === 'array'
          ? ['destinationPortRanges', r.destinationPorts]
          : ['destinationPortRange', r.destinationPorts],
      ),
    ],
  );
}

const nsgTree = {
  statements: [
    {
      kind: 'param' as const,
      name: 'location',
      type: 'string' as const,
      decorators: [
        description('Region of the NSG; must equal the region of the subnet it will be attached to.'),
      ],
      defaultValue: member(call('resourceGroup'), 'location'),
    },
    {
      kind: 'resource' as const,
      comments: ['Least-privilege rules for the ACI subnet.'],
      name: 'aciNsg',
      type: 'Microsoft.Network/networkSecurityGroups',
      apiVersion: '2024-07-01',
      existing: false,
      body: props(
        ['name', str('nsg-aci-app')],
        ['location', ref('location')],
        ['properties', obj(['securityRules', arr(...rules.map(ruleObject))])],
      ),
    },
    {
      kind: 'output' as const,
      name: 'nsgId',
      type: 'string' as const,
      decorators: [],
      value: member(ref('aciNsg'), 'id'),
    },
  ],
};

describe('ARM template round trip through aciseg import', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-arm-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports the printed template into a snapshot with exactly those rules', async () => {
    fs.writeFileSync(path.join(dir, 'nsg.json'), printArmTemplate(nsgTree));
    const result = await runCapture(['import', 'nsg.json', '-o', 'out.json'], dir);
    expect(result.stdout).toBe('');
    // The only warning is the one every template gets: templates carry no resource IDs.
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^warning: nsg\.json: ARM template resources carry no resource IDs.*\[UNKNOWN_VALUE\]$/,
    );
    expect(lines[1]).toMatch(
      /^wrote out\.json: 0 virtual networks, 0 subnets, 0 peerings, 1 NSG \(3 rules\)/,
    );
    expect(result.code).toBe(0);
    const parsed = parseSnapshotText(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'), 'out.json');
    if (!parsed.ok) throw new Error('the snapshot does not parse');
    const [nsg] = parsed.snapshot.networkSecurityGroups;
    expect(nsg?.name).toBe('nsg-aci-app');
    const asImported = (r: RuleSpec) => ({
      name: r.name,
      description: r.description,
      priority: r.priority,
      direction: r.direction,
      access: r.access,
      protocol: r.protocol,
      sourceAddressPrefixes: literals(r.source),
      sourcePortRanges: ['*'],
      destinationAddressPrefixes: literals(r.destination),
      destinationPortRanges: literals(r.destinationPorts),
      sourceApplicationSecurityGroupIds: [],
      destinationApplicationSecurityGroupIds: [],
    });
    const expected = [...rules].sort(
      (a, b) => a.direction.localeCompare(b.direction) || a.priority - b.priority,
    );
    expect(nsg?.securityRules).toEqual(expected.map(asImported));
  });

  it('prints the same tree as Bicep that reads back', () => {
    expect(parseBicep(printBicep(nsgTree))).toEqual(nsgTree);
  });
});

function literals(e: Expr): string[] {
  if (e.kind === 'string') return [e.value];
  if (e.kind === 'array') return e.items.map((i) => (i.value.kind === 'string' ? i.value.value : ''));
  return [];
}
