import * as fs from 'node:fs';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';
import { compilePolicy } from '../../../src/policy';
import { parseIntent } from '../../../src/analyze/intent';
import { planSegmentation } from '../../../src/plan';

const snapshot = hubSpokeSnapshot();
const engine = compilePolicy(snapshot);
const parsed = parseIntent(fs.readFileSync('samples/hub-spoke/intent.yaml', 'utf8'), 'intent.yaml');
if (!parsed.ok) throw new Error('bad intent');
const t0 = Date.now();
const r = planSegmentation({ snapshot, engine, observed: null, intent: { file: 'intent.yaml', entries: parsed.entries }, today: '2026-12-01', includeDeclaredPorts: process.argv.includes('--declared') });
console.log(Date.now() - t0, 'ms');
for (const n of r.nsgs) {
  console.log(n.name, n.isNew, n.subnets.map((s) => s.split('/').pop()));
  for (const x of n.rules) console.log('  ', x.status, x.rule.direction, x.rule.priority, x.rule.name, x.rule.access, x.rule.protocol, x.rule.sourceAddressPrefixes.join(','), '->', x.rule.destinationAddressPrefixes.join(','), x.rule.destinationPortRanges.join(','), '|', x.provenance.map((p) => p.text).join('; '));
  console.log('  removed', n.removed.map((x) => x.name));
}
console.log(JSON.stringify(r.proof, null, 1).slice(0, 3000));
console.log(JSON.stringify({ ...r.effect, closed: r.effect.closed.slice(0, 40) }, null, 1));
console.log(r.notes, r.excluded);
