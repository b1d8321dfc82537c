// The SPARQL workbench on /query: a CodeMirror 6 editor (SPARQL highlighting, completion of our
// prefixes and the ontology's terms, Ctrl+Enter to run, the server's error marked at its line)
// and the chart view. The page works without it: the form posts the plain textarea.
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput } from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets } from "@codemirror/autocomplete";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { sparql } from "codemirror-lang-sparql";
import { Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale,
         LinearScale, Tooltip, Legend } from "chart.js";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale,
               Tooltip, Legend);

function readJSON(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

// prefixes (zw: …) and the ontology's terms (zw:Department …) as completions of the word at the cursor
function termSource(terms) {
  const options = terms.map((t) => ({ label: t.label, type: t.kind, detail: t.detail || undefined }));
  return (context) => {
    const word = context.matchBefore(/[A-Za-z][\w-]*:?[\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    return { from: word.from, options, validFor: /^[\w-]*:?[\w-]*$/ };
  };
}

function setUpEditor(form) {
  const area = form.querySelector("textarea[name=query]");
  if (!area) return;
  const terms = readJSON("sparql-terms") || [];
  const run = () => { area.value = view.state.doc.toString(); form.requestSubmit(); return true; };
  const view = new EditorView({
    state: EditorState.create({
      doc: area.value,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(), indentOnInput(), bracketMatching(),
        closeBrackets(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }), sparql(),
        autocompletion({ override: [termSource(terms)] }), lintGutter(),
        keymap.of([{ key: "Mod-Enter", run, preventDefault: true }, ...completionKeymap, ...defaultKeymap,
                   ...historyKeymap, indentWithTab]),
        EditorView.lineWrapping,
        EditorView.updateListener.of((u) => { if (u.docChanged) area.value = u.state.doc.toString(); }),
      ],
    }),
  });
  area.style.display = "none";
  area.parentNode.insertBefore(view.dom, area);
  view.dom.classList.add("editor");
  form.addEventListener("submit", () => {
    area.value = view.state.doc.toString();
    // a URL over about 8 KB is refused by servers and proxies: long queries are posted
    if (encodeURIComponent(area.value).length > 6000) form.method = "post";
  });
  // the server's error, at its line and column
  const err = form.dataset.errorLine && Number(form.dataset.errorLine);
  if (err && err <= view.state.doc.lines) {
    const line = view.state.doc.line(err);
    const col = Math.max(0, Math.min(Number(form.dataset.errorColumn || 1) - 1, line.length));
    view.dispatch(setDiagnostics(view.state, [{ from: line.from + col, to: Math.max(line.from + col, line.to),
      severity: "error", message: form.dataset.errorMessage || "error" }]));
  }
  window.kgEditor = view; // for tests and the console
}

const PALETTE = ["#b3261e", "#1f5fa8", "#2e7d32", "#b26a00", "#6a3d9a", "#00796b"];

function drawChart() {
  const data = readJSON("chart-data");
  const canvas = document.getElementById("chart");
  if (!data || !canvas) return;
  new Chart(canvas, {
    type: data.kind === "line" ? "line" : "bar",
    data: { labels: data.labels, datasets: data.series.map((s, i) => ({ label: s.name, data: s.values,
      backgroundColor: PALETTE[i % PALETTE.length] + "cc", borderColor: PALETTE[i % PALETTE.length] })) },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
               indexAxis: data.kind === "bar" && data.labels.length > 8 ? "y" : "x",
               plugins: { legend: { display: data.series.length > 1 } } },
  });
}

document.querySelectorAll("form.workbench").forEach(setUpEditor);
drawChart();
