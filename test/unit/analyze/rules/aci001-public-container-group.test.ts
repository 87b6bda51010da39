import { aci001 } from '../../../../src/analyze/rules/aci001-public-container-group';
import { estate } from './support-estate';
import { findingsOf } from './support-context';

describe('ACI001 public-container-group', () => {
  it('fires for a public group, critical when it exposes SSH, naming its ports', () => {
    const [f, ...rest] = findingsOf(
      estate({ publicGroups: [{ name: 'jump', ip: '20.1.2.3', ports: [22, 80] }] }),
      [aci001],
    );
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('critical');
    expect(f!.resources).toEqual([expect.objectContaining({ kind: 'containerGroup', name: 'jump' })]);
    expect(f!.flows.map((x) => `${x.from} → ${x.to} ${x.protocol} ${x.ports}`)).toEqual([
      'Internet → public container group jump (20.1.2.3) tcp 22',
      'Internet → public container group jump (20.1.2.3) tcp 80',
    ]);
    expect(f!.explain).toBe('aciseg explain <snapshot> --from Internet --to cg:jump --port 22');
    expect(f!.location).toEqual({ snapshotPointer: '/containerGroups/1' });
  });

  it('is critical for a database port and high for web ports only', () => {
    const snapshot = estate({
      publicGroups: [
        { name: 'db', ip: '20.1.2.3', ports: [5432] },
        { name: 'site', ip: '20.1.2.4', ports: [80, 443] },
      ],
    });
    const bySeverity = Object.fromEntries(
      findingsOf(snapshot, [aci001]).map((f) => [f.resources[0]!.name, f.severity]),
    );
    expect(bySeverity).toEqual({ db: 'critical', site: 'high' });
  });

  it('is silent for container groups in a VNet', () => {
    expect(findingsOf(estate(), [aci001])).toEqual([]);
  });
});
