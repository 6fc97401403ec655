import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { ReactElement } from 'react';
import type { OutputBundle, OutputChunk } from 'rollup';
import { Plugin, UserConfig, defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { NOT_IN_STYLESHEET, THEME } from './src/theme';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Builds the console into dist/console, which the API serves at `/` (apps/api/src/console). */
export default defineConfig(({ command }) => {
  // A build is for production even when started from a test run (NODE_ENV=test).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});

/**
 * `<link rel="modulepreload">` in index.html for the App chunk (React, antd, the layout) and
 * what it imports: every page needs them, and main.tsx asks for them only once it has arrived
 * and run, so they start with the entry instead of after it.
 */
function preloadApp(): Plugin {
  return {
    name: 'console-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = Object.values(bundle ?? {}).filter(
          (item): item is OutputChunk => item.type === 'chunk',
        );
        const app = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/src/App.tsx'));
        if (!app) throw new Error('no App chunk: main.tsx must import ./App dynamically');
        const files = new Set<string>();
        const visit = (file: string) => {
          if (files.has(file)) return;
          files.add(file);
          for (const imported of chunks.find((chunk) => chunk.fileName === file)?.imports ?? [])
            visit(imported);
        };
        visit(app.fileName);
        const entry = chunks.find((chunk) => chunk.isEntry)?.fileName;
        return [...files]
          .filter((file) => file !== entry)
          .map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: '', href: `/${file}` },
            injectTo: 'head' as const,
          }));
      },
    },
  };
}

const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

/**
 * V8's explicit compile hint on every script a page loads: compile all its functions while the
 * file streams in, on a background thread, instead of each on the main thread at its first call.
 * Most of the first page's functions run before its first paint (React, antd, the dashboard's
 * ECharts), and their lazy compilation was about a fifth of the main thread's work before it
 * (bench/README.md, "Compile hints"). ExcelJS is left out: it loads when someone exports a table
 * and most of it never runs. To other engines the hint is only a comment.
 *
 * V8 reads the hint only above the first statement, and Vite's import analysis prepends
 * `__vite__mapDeps` to a chunk in its own generateBundle, after every other plugin's; the
 * compression plugin compresses from inside that same hook. So the hint is added there too,
 * between the two: this plugin's configResolved runs before the compression plugin's (which is
 * `enforce: 'post'`) and wraps the hook first. No source maps are built, so the added line
 * shifts none.
 */
function compileHints(): Plugin {
  const hint = (bundle: OutputBundle) => {
    for (const item of Object.values(bundle))
      if (item.type === 'chunk' && !item.name.startsWith('exceljs') && !item.code.startsWith(COMPILE_HINT))
        item.code = COMPILE_HINT + item.code;
  };
  return {
    name: 'console-compile-hints',
    apply: 'build',
    configResolved(resolved) {
      const analysis = resolved.plugins.find((p) => p.name === 'vite:build-import-analysis');
      const original = analysis?.generateBundle;
      if (!analysis || typeof original !== 'function')
        throw new Error('vite:build-import-analysis has no generateBundle function to follow');
      analysis.generateBundle = async function (this: unknown, ...args: Parameters<typeof original>) {
        await original.apply(this as ThisParameterType<typeof original>, args);
        hint(args[1]);
      };
    },
  };
}

/**
 * `virtual:antd.css`: every antd component's styles with the console's theme, rendered once here
 * (@ant-design/static-style-extract) instead of by each component in the browser at its first
 * render: that was 18 % of the dashboard's main-thread JavaScript before its first paint in a CPU
 * profile (bench/README.md, "console"). The app runs with `zeroRuntime` (src/theme.ts); antd
 * still writes its tokens' custom properties into the page, which is cheap.
 */
function antdStylesheet(): Plugin {
  const id = 'virtual:antd.css';
  const resolved = `\0${id}`;
  return {
    name: 'console-antd-stylesheet',
    resolveId: (source) => (source === id ? resolved : undefined),
    load(loading) {
      if (loading !== resolved) return undefined;
      // One CommonJS instance of antd for both, so the extraction sees this ConfigProvider's theme.
      const require = createRequire(import.meta.url);
      const { ConfigProvider } = require('antd') as typeof import('antd');
      const { createElement } = require('react') as typeof import('react');
      const { extractStyle } =
        require('@ant-design/static-style-extract') as typeof import('@ant-design/static-style-extract');
      return extractStyle({
        customTheme: (node: ReactElement) => createElement(ConfigProvider, { theme: THEME }, node),
        excludes: NOT_IN_STYLESHEET,
      });
    },
  };
}

const config: UserConfig = {
  root,
  base: '/',
  plugins: [
    react(),
    antdStylesheet(),
    preloadApp(),
    compileHints(),
    // Brotli and gzip copies beside each script and stylesheet, which the API sends to browsers
    // that accept them (apps/api/src/console): a 1.4 MB first page travels as about 0.4 MB.
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css)$/ }),
  ],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The first page's budget is checked by test/console-bundle.e2e.spec.ts, not by this warning.
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
};
