import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// One ES module with Lit inside (a dashboard cannot resolve bare imports), written into the
// companion integration, which serves it to HA's frontend. Committed: HACS and the add-on's
// install copy that folder as it is in git. tests/unit/cards/bundle.test.ts keeps it in step with
// the sources. No decorators in cards/src, so no TypeScript lowering step (unlike panel/).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  logLevel: 'warn',
  // Lit's production build whatever NODE_ENV says (vitest sets 'test'), so a build in a test
  // equals `npm run build:cards`.
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    outDir: fileURLToPath(new URL('../addon/integration/custom_components/wactorz/frontend', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // An app build, not lib mode: lib mode keeps the whitespace of an ES module.
    rolldownOptions: {
      input: fileURLToPath(new URL('src/index.ts', import.meta.url)),
      output: { format: 'es', entryFileNames: 'wactorz-cards.js' },
    },
  },
});
