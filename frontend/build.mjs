// Bundles the workstation's scripts and styles into src/nitka/web/static/dist.
// Everything comes from npm packages pinned in package-lock.json: the pages load
// nothing from outside the server (closed police networks have no CDN).
import * as esbuild from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const out = "../src/nitka/web/static/dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Fontsource's CSS offers each font as woff2 and woff: every browser the
// workstation supports reads woff2, so the woff copies are left out of dist.
const woff2Only = {
  name: "woff2-only",
  setup(build) {
    build.onLoad({ filter: /@fontsource[\\/].*\.css$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replace(/,\s*url\([^)]*\.woff\) format\('woff'\)/g, ""),
      loader: "css",
      resolveDir: dirname(args.path),
    }));
  },
};

await esbuild.build({
  entryPoints: { app: "src/app.js", styles: "src/app.css" },
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  sourcemap: true,
  target: ["chrome110", "firefox115"],
  loader: { ".png": "file", ".svg": "file", ".json": "json", ".woff2": "file", ".woff": "file" },
  plugins: [woff2Only],
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  assetNames: "assets/[name]-[hash]",
  legalComments: "linked",
  logLevel: "warning",
});
writeFileSync(`${out}/.built`, new Date().toISOString() + "\n");
