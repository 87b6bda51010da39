import { importDocuments } from '../../../src/collect/files';
import { parseSnapshotText, snapshotToString } from '../../../src/model/snapshot-codec';
import { armId, snapshotOf } from './helpers';

const XSS = '</script><img src=x onerror=alert(1)>';

describe('hostile values', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>)['polluted'];
  });

  it('keeps markup in names as plain data and lets no key pollute a prototype', () => {
    const nsgId = armId('Microsoft.Network/networkSecurityGroups', 'n');
    // Written as text so `__proto__` is an own key, as JSON.parse produces it from a hostile file.
    const text = `{
      "id": ${JSON.stringify(nsgId)}, "name": ${JSON.stringify(XSS)}, "type": "Microsoft.Network/networkSecurityGroups",
      "__proto__": { "polluted": "via resource" },
      "constructor": { "prototype": { "polluted": "via constructor" } },
      "properties": {
        "__proto__": { "polluted": "via properties" },
        "securityRules": [{ "name": ${JSON.stringify(XSS)}, "__proto__": { "polluted": "via rule" },
          "properties": { "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": 100,
            "description": ${JSON.stringify(XSS)},
            "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "80" } }]
      }
    }`;
    const cg = {
      id: armId('Microsoft.ContainerInstance/containerGroups', 'constructor'),
      name: '__proto__',
      type: 'Microsoft.ContainerInstance/containerGroups',
      properties: {
        containers: [
          {
            name: 'constructor',
            properties: {
              image: XSS,
              environmentVariables: [{ name: '__proto__' }, { name: 'hasOwnProperty' }],
            },
          },
        ],
      },
    };
    const outcome = importDocuments([
      { file: 'nsg.json', text },
      { file: 'cg.json', text: JSON.stringify(cg) },
      {
        file: 'tags.json',
        text: `{"id": ${JSON.stringify(armId('Microsoft.Compute/virtualMachines', 'vm'))}, "type": "__proto__/constructor"}`,
      },
    ]);
    const s = snapshotOf(outcome);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(s.networkSecurityGroups[0]?.name).toBe(XSS);
    expect(s.networkSecurityGroups[0]?.securityRules[0]).toMatchObject({ name: XSS, description: XSS });
    expect(s.containerGroups[0]).toMatchObject({
      name: '__proto__',
      containers: [
        { name: 'constructor', image: XSS, environmentVariableNames: ['__proto__', 'hasOwnProperty'] },
      ],
    });
    expect(s.skippedResourceTypes).toEqual([{ type: '__proto__/constructor', count: 1 }]);

    // The names survive a write and a read unchanged.
    const text2 = snapshotToString(s);
    const back = parseSnapshotText(text2, 'snap.json');
    expect(back.ok && back.snapshot.networkSecurityGroups[0]?.name).toBe(XSS);
    expect(back.ok && back.snapshot.containerGroups[0]?.name).toBe('__proto__');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
