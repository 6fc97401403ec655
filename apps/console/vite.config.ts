import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { UserConfig, defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Builds the console into dist/console, which the API serves at `/` (apps/api/src/console). */
export default defineConfig(({ command }) => {
  // A build is for production even when started from a test run (NODE_ENV=test).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});

const config: UserConfig = {
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The first page's budget is checked by test/console-bundle.e2e.spec.ts, not by this warning.
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
};
