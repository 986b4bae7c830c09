import { layerViolation } from './lib/layers.js';

/**
 * ESLint rule `layers/imports`: every import, re-export and dynamic import with a literal path
 * respects the layer table in lib/layers.js (core imports no door, common imports only common,
 * the renderer only common and itself).
 */
const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports go toward common: doors (cli, server, electron) → core → common ← renderer' },
    schema: [],
  },
  create(context) {
    const check = (source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const why = layerViolation(context.filename, source.value);
      if (why) context.report({ node: source, message: why });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default { meta: { name: 'layers' }, rules: { imports: importsRule } };
