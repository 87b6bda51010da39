/**
 * A hand-edited snapshot holding a value `import` would refuse stops with exit 2 and the JSON path
 * of the value, on every command that reads snapshots, instead of an internal error (exit 4) deep in
 * the engine or a silently different reading.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Snapshot } from '../../../src/model/snapshot';
import { snapshotToString } from '../../../src/model/snapshot-codec';
import { runCapture } from '../../support/cli';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-edited-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The hub-spoke snapshot after `edit`, as canonical text. */
function edited(edit: (s: Snapshot) => void): string {
  const s = hubSpokeSnapshot();
  edit(s);
  return snapshotToString(s);
}

const rule0 = (s: Snapshot) => s.networkSecurityGroups[0]!.securityRules[0]!;
const RULE0 = '$.networkSecurityGroups[0].securityRules[0]';

const cases: [string, () => string, string, string][] = [
  [
    'port "99999" (the old pattern let it through)',
    () => edited((s) => void (rule0(s).destinationPortRanges = ['99999'])),
    `${RULE0}.destinationPortRanges[0]: "99999" is not a valid port range`,
    'INVALID_PORT',
  ],
  [
    'reversed port range "80-70"',
    () => edited((s) => void (rule0(s).sourcePortRanges = ['80-70'])),
    `${RULE0}.sourcePortRanges[0]: "80-70" is not a valid port range`,
    'INVALID_PORT',
  ],
  [
    'prefix "10.1.0.0/99"',
    () => edited((s) => void (rule0(s).sourceAddressPrefixes = ['10.1.0.0/99'])),
    `${RULE0}.sourceAddressPrefixes[0]: "10.1.0.0/99" is not a valid IP address or CIDR prefix`,
    'INVALID_PREFIX',
  ],
  [
    'prefix length "Infinity"',
    () => edited((s) => void (rule0(s).destinationAddressPrefixes = ['10.1.0.0/Infinity'])),
    `${RULE0}.destinationAddressPrefixes[0]: "10.1.0.0/Infinity" is not a valid IP address or CIDR prefix`,
    'INVALID_PREFIX',
  ],
  [
    'a priority that JSON reads as Infinity (1e999)',
    () => edited(() => undefined).replace(/"priority":\d+/, '"priority":1e999'),
    `${RULE0}.priority: `,
    'INVALID_VALUE',
  ],
  [
    'the address word "Any" (ARM refuses it)',
    () => edited((s) => void (rule0(s).sourceAddressPrefixes = ['Any'])),
    `${RULE0}.sourceAddressPrefixes[0]: "Any" is not an address prefix Azure accepts`,
    'INVALID_PREFIX',
  ],
  [
    'a service tag in a virtual network address space',
    () => edited((s) => void (s.virtualNetworks[0]!.addressPrefixes = ['Internet'])),
    '$.virtualNetworks[0].addressPrefixes[0]: "Internet" is not an IP address or CIDR prefix',
    'INVALID_PREFIX',
  ],
  [
    'a prefix not in canonical form',
    () => edited((s) => void (rule0(s).sourceAddressPrefixes = ['10.0.0.4'])),
    `${RULE0}.sourceAddressPrefixes[0]: "10.0.0.4" is not in canonical form (write "10.0.0.4/32")`,
    'INVALID_PREFIX',
  ],
  [
    'a custom rule priority outside 100–4096',
    () => edited((s) => void (rule0(s).priority = 5000)),
    `${RULE0}.priority: priority 5000 is not valid here`,
    'INVALID_PRIORITY',
  ],
  [
    'duplicate priorities in one direction of one NSG',
    () =>
      edited((s) => {
        const rules = s.networkSecurityGroups[0]!.securityRules;
        rules.push({ ...rules[0]!, name: 'Copy', destinationPortRanges: ['22'] });
      }),
    '$.networkSecurityGroups[0].securityRules[',
    'DUPLICATE_PRIORITY',
  ],
  [
    'one key twice in one object',
    () => edited(() => undefined).replace('"access":"Allow"', '"access":"Deny","access":"Allow"'),
    '$.networkSecurityGroups[0].securityRules[0].access: the key "access" appears twice in one object',
    'DUPLICATE_KEY',
  ],
];

describe('a hand-edited snapshot with a value import refuses', () => {
  it.each(cases)(
    '%s: exit 2 with the JSON path, for analyze and summary',
    async (_what, text, where, code) => {
      fs.writeFileSync(path.join(dir, 'edited.json'), text());
      for (const command of ['analyze', 'summary']) {
        const r = await runCapture([command, 'edited.json'], dir);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`error: edited.json: ${where}`);
        expect(r.stderr).toContain(`[${code}]`);
        expect(r.stderr).not.toContain('internal error');
        expect(r.stdout).toBe('');
      }
    },
  );

  it('the unedited snapshot reads fine (the cases above fail for their edit alone)', async () => {
    fs.writeFileSync(
      path.join(dir, 'edited.json'),
      edited(() => undefined),
    );
    expect((await runCapture(['analyze', 'edited.json'], dir)).code).toBe(0);
  });
});
