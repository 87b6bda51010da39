/** Property: printed Bicep reads back (test/support/bicep-parse.ts) as the canonical tree, whatever the text in it. */
import fc from 'fast-check';
import { printBicep } from '../../../../src/render/bicep/print';
import { canonicalize } from '../../../../src/render/bicep/canonical';
import { isHiddenChar } from '../../../../src/render/bicep/names';
import { parseBicep } from '../../../support/bicep-parse';
import { arbBicepFile, arbHostileText } from './arbitrary-tree';

describe('Bicep round trip', () => {
  it('tree → Bicep text → parsed tree equals the canonical tree', () => {
    fc.assert(
      fc.property(arbBicepFile, (tree) => {
        const canonical = canonicalize(tree);
        const text = printBicep(tree);
        expect(parseBicep(text)).toEqual(canonical);
        // Canonical trees print unchanged: names and comments are already settled.
        expect(printBicep(canonical)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('never writes tabs, carriage returns, trailing blanks or hidden characters into the text', () => {
    fc.assert(
      fc.property(arbBicepFile, (tree) => {
        const text = printBicep(tree);
        const hidden = [...text].filter((ch) => ch !== '\n' && isHiddenChar(ch.codePointAt(0)!));
        expect(hidden).toEqual([]);
        expect(text).not.toMatch(/[ ]\n/);
        expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      }),
      { numRuns: 200 },
    );
  });

  it('reads any string back exactly', () => {
    fc.assert(
      fc.property(fc.oneof(arbHostileText, fc.string({ unit: 'binary' })), (value) => {
        const tree = {
          statements: [{ kind: 'var' as const, name: 'v', value: { kind: 'string' as const, value } }],
        };
        expect(parseBicep(printBicep(tree))).toEqual(tree);
      }),
    );
  });
});
