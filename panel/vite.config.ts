import ts from 'typescript';
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * Vite 8 transforms TypeScript with Oxc, which strips types but does not lower standard (TC39)
 * decorators, and no browser runs them natively yet: the bundle would die on `@customElement`.
 * TypeScript's own transpiler lowers them, so files that use decorators go through it first.
 */
function lowerDecorators(): Plugin {
  return {
    name: 'wactorz-lower-decorators',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!file.endsWith('.ts') || !/^\s*@\w/m.test(code)) return null;
      const out = ts.transpileModule(code, {
        fileName: file,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          useDefineForClassFields: true,
          verbatimModuleSyntax: true,
          allowImportingTsExtensions: true,
          sourceMap: true,
        },
      });
      return { code: out.outputText, map: out.sourceMapText ?? null };
    },
  };
}

// base './' makes every asset URL relative: ingress serves the panel under
// /api/hassio_ingress/<token>/, so absolute URLs would escape the prefix.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [lowerDecorators()],
  // The one chunk past Vite's 500 kB warning is ECharts (about 500 kB, 170 kB gzipped), already
  // split off and fetched only when the Cost tab draws a chart (see BENCHMARKS.md, Panel bundle).
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 560 },
});
