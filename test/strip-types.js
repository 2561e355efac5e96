// A jest transformer that erases TypeScript's type syntax with Node's own
// stripper (the one `node file.ts` uses). 'strip' mode replaces types with
// spaces, so line and column numbers in stack traces stay right without
// source maps. tsconfig's `erasableSyntaxOnly` keeps the code strippable.
import { stripTypeScriptTypes } from 'node:module';

export default {
  process(source) {
    return { code: stripTypeScriptTypes(source, { mode: 'strip' }) };
  },
};
