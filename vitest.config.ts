import { transform } from 'esbuild';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      // Vite 8 transpiles TypeScript with Oxc, which only lowers legacy (experimentalDecorators)
      // decorators; Node 20 cannot run TC39 standard decorators (`@scheduled`) natively. Files that
      // use one (a decorator starting a line or following `{`/`;` — JSDoc tags follow `*`) go
      // through esbuild first, as under tsx, which lowers standard decorators.
      name: 'om-scheduler:standard-decorators',
      enforce: 'pre',
      async transform(code, id) {
        if (!/\.[cm]?ts$/.test(id) || id.includes('/node_modules/') || !/(?:^\s*|[{;]\s*)@[A-Za-z_$]/m.test(code)) return null;
        const out = await transform(code, {
          loader: 'ts',
          format: 'esm',
          target: 'es2022',
          sourcemap: true,
          sourcefile: id,
          tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
        });
        return { code: out.code, map: out.map };
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests against the emulator run in their own project (see scripts/test.sh).
    exclude: ['test/integration/**', 'node_modules/**'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
