// The licences of what the bundle contains, beside it in web/static/vendor/.
const fs = require("fs");
const path = require("path");
const out = path.join(__dirname, "..", "static", "vendor");
const parts = ["@codemirror/autocomplete", "@codemirror/commands", "@codemirror/language", "@codemirror/lint",
  "@codemirror/state", "@codemirror/view", "@lezer/common", "@lezer/highlight", "@lezer/lr", "codemirror-lang-sparql",
  "chart.js", "@kurkle/color", "style-mod", "w3c-keyname", "crelt", "@marijn/find-cluster-break"];
let text = "Licences of the packages bundled into workbench.js (built by web/frontend: npm ci && npm run build)\n";
for (const p of parts) {
  const dir = path.join(__dirname, "node_modules", p);
  if (!fs.existsSync(dir)) continue;
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  text += `\n==== ${p} ${pkg.version} (${pkg.license}) ====\n`;
  text += file ? fs.readFileSync(path.join(dir, file), "utf8") : `${pkg.license} licence (no licence file in the package)\n`;
}
fs.writeFileSync(path.join(out, "LICENSES.txt"), text);
