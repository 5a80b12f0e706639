import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// base './' makes every asset URL relative: ingress serves the panel under
// /api/hassio_ingress/<token>/, so absolute URLs would escape the prefix.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
});
