/// <reference types="vitest/config" />
import { createLogger, defineConfig, type Logger, type Plugin } from "vite";
import { SassString } from "sass";

// A newcomer reads any warning of `npm run build` as an error, so the build has none, and fails
// (after printing it) if one ever appears again.
function noWarnings(): { logger: Logger; plugin: Plugin } {
  const logger = createLogger();
  const warnings: string[] = [];
  const keep = (message: string): void => {
    warnings.push(message);
    logger.warn(message);
  };
  return {
    logger: { ...logger, warn: keep, warnOnce: keep },
    plugin: {
      name: "tp-no-warnings",
      apply: "build",
      closeBundle() {
        if (warnings.length > 0) this.error(`The build printed ${warnings.length} warning(s), treated as errors.`);
      },
    },
  };
}

// GOV.UK Frontend still carries hacks for Internet Explorer 9-11 (`@media screen and
// (min-width: 0\0)`), which lightningcss's minifier calls an invalid media query. The service
// does not support IE, so they are dropped before minifying.
const dropIeHacks = {
  postcssPlugin: "tp-drop-ie-hacks",
  AtRule: {
    media(rule: { params: string; remove(): void }) {
      // Sass writes the hack's `\0` as the character it stands for, U+FFFD.
      if (/\\0|\uFFFD/.test(rule.params)) rule.remove();
    },
  },
};

const strict = noWarnings();

// The SPA is served by the FastAPI app at "/" (see app/main.py); the build goes to frontend/dist.
export default defineConfig(({ command }) => ({
  base: "/",
  customLogger: command === "build" ? strict.logger : undefined,
  plugins: [strict.plugin],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // Keep every asset as a file: the server's CSP allows no inline data for scripts.
    assetsInlineLimit: 0,
    rolldownOptions: {
      // Compiling GOV.UK Frontend's Sass takes most of the build: expected, not a problem to report.
      checks: { pluginTimings: false },
    },
  },
  css: {
    preprocessorOptions: {
      scss: {
        // GOV.UK Frontend's own Sass raises deprecation warnings we cannot fix.
        quietDeps: true,
        silenceDeprecations: ["import", "global-builtin", "slash-div", "if-function"],
        functions: {
          // The only image GOV.UK Frontend's CSS asks for is the crest of the GOV.UK footer's
          // copyright logo. A council service has no crest (see DESIGN.md), so there is none to
          // point at: `none`, rather than a URL to a file that does not exist.
          "tp-no-image($filename)": () => new SassString("none", { quotes: false }),
        },
      },
    },
    postcss: { plugins: [dropIeHacks] },
    // GOV.UK Frontend still carries old IE hacks (e.g. `*zoom`) that lightningcss rejects.
    lightningcss: {
      errorRecovery: true,
    },
  },
  server: {
    // `npm run dev` proxies the API to a backend started with `talentpool serve`.
    proxy: {
      "/api": "http://127.0.0.1:8000",
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
    unstubGlobals: true,
  },
}));
