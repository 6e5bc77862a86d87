// A tsdown (rolldown) plugin for the CommonJS build of the hand-written packages.
//
// Our sources are ES modules ("type": "module"), so rolldown imports a CommonJS dependency the way
// Node's ESM loader would: `import x from 'dep'` gets the whole `module.exports`. That is right for
// the ESM build, but the CommonJS build `require`s the dependency's CommonJS entry, and a
// dependency compiled from ESM (openapi-fetch, ajv-formats: `exports.default = ...` with
// `__esModule`) keeps its default export in `exports.default`. This switches the CommonJS build to
// the `__esModule`-aware interop, which gives the same values the ESM build gets.
export const cjsInterop = {
  name: 'embedkit:cjs-interop',
  renderChunk(code: string, _chunk: unknown, options: { format: string }) {
    if (options.format !== 'cjs') return null;
    const rewritten = code.replace(/__toESM\(((?:[^()]|\([^()]*\))*), 1\)/g, '__toESM($1)');
    return rewritten === code ? null : { code: rewritten, map: null };
  },
};
