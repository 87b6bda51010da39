/**
 * The pipeline's layers as a lint rule (DESIGN's pipeline table; README "Layout"). Each stage of
 * src/ may import only the stages listed for it; outside src/policy, the policy layer is entered
 * through src/policy/index.ts only; only src/collect and src/cli touch the file system, the
 * network or processes, and only src/collect/azure imports the Azure SDK.
 */
import * as path from 'node:path';

/** stage → the stages it may import (files directly in src/, such as diagnostics.ts, are open to all). */
export const LAYERS = {
  util: [],
  net: ['util'],
  model: ['net', 'util'],
  graph: ['model', 'net', 'util'],
  policy: ['model', 'net', 'util'],
  analyze: ['policy', 'graph', 'model', 'net', 'util'],
  plan: ['analyze', 'policy', 'graph', 'model', 'net', 'util'],
  diff: ['analyze', 'plan', 'policy', 'graph', 'model', 'net', 'util'],
  render: ['analyze', 'plan', 'diff', 'policy', 'graph', 'model', 'net', 'util'],
  collect: ['model', 'net', 'util'],
  cli: ['collect', 'render', 'diff', 'plan', 'analyze', 'policy', 'graph', 'model', 'net', 'util'],
};

/** Node modules that reach outside the process: only these stages may import them. */
const IO_MODULES =
  /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|child_process|worker_threads|readline)$/;
const IO_STAGES = new Set(['collect', 'cli']);

function stageOf(srcDir, file) {
  const rel = path.relative(srcDir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep);
  // `../policy` names a stage's folder (its index.ts); a single other name is a file in src/.
  return parts.length > 1 || Object.hasOwn(LAYERS, parts[0]) ? parts[0] : '';
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'keep the imports of src/ inside the pipeline layers' },
    schema: [],
    messages: {
      layer: '{{from}} may not import {{to}} ({{spec}}): {{from}} may import {{allowed}}.',
      facade: 'import the policy layer through src/policy (its index.ts), not {{spec}}.',
      io: 'only src/collect and src/cli may import {{spec}} (the rest of src/ is pure).',
      azure: 'only src/collect/azure may import {{spec}}.',
    },
  },
  create(context) {
    const file = context.filename;
    const srcDir = path.join(context.cwd, 'src');
    const from = stageOf(srcDir, file);
    if (from === null) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (!spec.startsWith('.')) {
        // A type-only import reaches nothing at run time.
        if (IO_MODULES.test(spec) && node.importKind !== 'type' && from !== '' && !IO_STAGES.has(from))
          context.report({ node, messageId: 'io', data: { spec } });
        const inAzure = path.relative(path.join(srcDir, 'collect', 'azure'), file);
        if (/^@azure(-rest)?\//.test(spec) && (inAzure.startsWith('..') || path.isAbsolute(inAzure)))
          context.report({ node, messageId: 'azure', data: { spec } });
        return;
      }
      const target = path.resolve(path.dirname(file), spec);
      const to = stageOf(srcDir, target);
      if (to === null || to === '' || from === '' || to === from) return;
      const allowed = LAYERS[from];
      if (allowed && !allowed.includes(to)) {
        context.report({
          node,
          messageId: 'layer',
          data: { from, to, spec, allowed: allowed.length > 0 ? allowed.join(', ') : 'no other stage' },
        });
        return;
      }
      if (
        to === 'policy' &&
        path.relative(path.join(srcDir, 'policy'), target) !== '' &&
        !/[/\\]index$/.test(target)
      )
        context.report({ node, messageId: 'facade', data: { spec } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        )
          check(node, node.arguments[0].value);
      },
    };
  },
};

export default { rules: { imports: rule } };
