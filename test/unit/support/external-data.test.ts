/** The external-data suite's guard: run when the data is there, skip with a note, fail in CI. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isCi, locateExternalData } from '../../support/external-data';

describe('locateExternalData', () => {
  const present = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-external-'));
  const absent = path.join(present, 'no-such-folder');
  afterAll(() => fs.rmSync(present, { recursive: true, force: true }));

  it('runs when the folder is there, in CI or not', () => {
    expect(locateExternalData({ ACISEG_EXTERNAL_DATA: present })).toEqual({
      root: present,
      mode: 'run',
      note: '',
    });
    expect(locateExternalData({ ACISEG_EXTERNAL_DATA: present, CI: 'true' }).mode).toBe('run');
  });

  it('skips with a note naming the folder outside CI', () => {
    const data = locateExternalData({ ACISEG_EXTERNAL_DATA: absent });
    expect(data.mode).toBe('skip');
    expect(data.note).toContain(absent);
    expect(locateExternalData({ ACISEG_EXTERNAL_DATA: absent, CI: 'false' }).mode).toBe('skip');
  });

  it('fails when CI is set and the folder is missing', () => {
    for (const CI of ['true', '1', 'yes'])
      expect(locateExternalData({ ACISEG_EXTERNAL_DATA: absent, CI })).toMatchObject({
        mode: 'fail',
        note: expect.stringContaining(absent) as unknown,
      });
  });

  it('reads CI the way CI services set it', () => {
    expect([undefined, '', '0', 'false', 'FALSE'].map((CI) => isCi({ CI }))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['true', '1', 'True'].map((CI) => isCi({ CI }))).toEqual([true, true, true]);
  });
});
