// Bundles the workstation's scripts and styles into src/nitka/web/static/dist.
// Everything comes from npm packages pinned in package-lock.json: the pages load
// nothing from outside the server (closed police networks have no CDN).
import * as esbuild from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";

const out = "../src/nitka/web/static/dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: { app: "src/app.js", styles: "src/app.css" },
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  sourcemap: true,
  target: ["chrome110", "firefox115"],
  loader: { ".png": "file", ".svg": "file", ".json": "json" },
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  assetNames: "assets/[name]-[hash]",
  legalComments: "linked",
  logLevel: "warning",
});
writeFileSync(`${out}/.built`, new Date().toISOString() + "\n");
