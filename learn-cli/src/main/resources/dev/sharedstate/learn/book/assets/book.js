// ./learn book: the live pages. Every Java block becomes a CodeMirror 6 editor with Run (Ctrl-Enter),
// Check and Reset; output streams in as the snippet prints it; exercise statuses follow the server's
// events. Whatever comes from a snippet or from lockcheck enters the page as text, never as HTML.
import {EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  Decoration} from "@codemirror/view";
import {EditorState, StateField, StateEffect} from "@codemirror/state";
import {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
import {StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentUnit}
  from "@codemirror/language";
import {setDiagnostics, lintGutter} from "@codemirror/lint";
import {java} from "@codemirror/legacy-modes/mode/clike.js";

const page = document.body.dataset.page || "";
const cells = [];

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

async function post(path, body) {
  return fetch("/api/" + path, {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body), credentials: "same-origin"});
}

async function errorOf(res) {
  try { return (await res.json()).error || res.statusText; } catch (e) { return (await res.text()) || res.statusText; }
}

// ---- hidden lines: runnable, but folded away until asked for ------------------------------------------

const setHidden = StateEffect.define();
const hiddenField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setHidden)) deco = e.value;
    return deco;
  },
  provide: f => EditorView.decorations.from(f),
});

function hiddenDecorations(state, lines) {
  const ranges = [];
  for (const i of lines) {
    if (i + 1 > state.doc.lines) continue;
    const line = state.doc.line(i + 1);
    const to = line.number < state.doc.lines ? state.doc.line(line.number + 1).from : line.to;
    ranges.push(Decoration.replace({block: false}).range(line.from, Math.max(line.from, to)));
  }
  return Decoration.set(ranges, true);
}

// ---- cells ---------------------------------------------------------------------------------------------

class Cell {
  constructor(root) {
    this.root = root;
    this.index = Number(root.dataset.index);
    this.mode = root.dataset.mode;
    this.hidden = (root.dataset.hidden || "").split(",").filter(s => s !== "").map(Number);
    const code = root.querySelector(".cell-source code");
    this.original = code.textContent.replace(/\n$/, "");
    this.result = root.querySelector(".cell-result");
    this.checkPanel = root.querySelector(".cell-check");
    this.timelinePanel = root.querySelector(".cell-timeline");
    this.expected = root.querySelector(".cell-expected pre");
    const host = el("div", {class: "cell-editor"});
    root.querySelector(".cell-source").replaceWith(host);
    this.view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: this.original,
        extensions: [
          lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), highlightActiveLine(),
          bracketMatching(), indentUnit.of("  "), StreamLanguage.define(java),
          syntaxHighlighting(defaultHighlightStyle, {fallback: true}), lintGutter(), hiddenField,
          keymap.of([
            {key: "Mod-Enter", run: () => { this.run(); return true; }},
            {key: "Ctrl-Enter", run: () => { this.run(); return true; }},
            indentWithTab, ...defaultKeymap, ...historyKeymap]),
          EditorView.updateListener.of(u => { if (u.docChanged) this.edited(); }),
          EditorView.contentAttributes.of({"aria-label": "Java code of this block"}),
        ],
      }),
    });
    this.hide(true);
    const on = (sel, f) => { const b = root.querySelector(sel); if (b) b.addEventListener("click", f); return b; };
    this.runButton = on("button.run", () => this.run());
    on("button.check", () => this.check());
    on("button.reset", () => this.reset());
    this.toggle = on("button.toggle-hidden", () => this.hide(this.toggle.getAttribute("aria-pressed") === "true"));
    if (this.mode === "lockcheck-fail") this.check();
  }

  code() { return this.view.state.doc.toString(); }

  hide(on) {
    if (this.hidden.length === 0) return;
    this.view.dispatch({effects: setHidden.of(on ? hiddenDecorations(this.view.state, this.hidden) : Decoration.none)});
    if (this.toggle) {
      this.toggle.setAttribute("aria-pressed", on ? "false" : "true");
      this.toggle.textContent = on ? "Show hidden lines" : "Hide hidden lines";
    }
  }

  edited() {
    this.root.classList.toggle("edited", this.code() !== this.original);
    if (!this.checkPanel.hidden) this.checkPanel.classList.add("stale");
  }

  reset() {
    this.view.dispatch({changes: {from: 0, to: this.view.state.doc.length, insert: this.original}});
    this.view.dispatch(setDiagnostics(this.view.state, []));
    this.hide(true);
    this.result.hidden = true;
    this.result.replaceChildren();
    this.checkPanel.hidden = true;
    this.checkPanel.replaceChildren();
    this.timelinePanel.hidden = true;
    this.timelinePanel.replaceChildren();
    this.root.classList.remove("edited", "passed", "failed");
    if (this.mode === "lockcheck-fail") this.check();
  }

  // -- Run: the server streams JSON lines; this cell and earlier ones fill in as they arrive --

  async run() {
    if (this.root.classList.contains("busy")) return;
    setBusy(true);
    this.begin(false);
    this.status.textContent = "waiting for this page's JShell…"; // it may be starting, or running another block
    try {
      const res = await post("run", {page, block: this.index, code: this.code()});
      if (!res.ok) {
        this.begin(false);
        this.system(await errorOf(res));
        this.root.classList.add("failed");
        return;
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffered = "";
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, {stream: true});
        let nl;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.trim()) dispatch(JSON.parse(line));
        }
      }
    } catch (e) {
      this.system("the book's server did not answer (" + e + "); is ./learn book still running?");
    } finally {
      setBusy(false);
    }
  }

  begin(implicit) {
    this.root.classList.remove("passed", "failed");
    this.root.classList.add("running");
    this.timelinePanel.hidden = true;
    this.timelinePanel.replaceChildren();
    this.view.dispatch(setDiagnostics(this.view.state, []));
    this.status = el("div", {class: "run-status", text: implicit
      ? "running first (the chapter's earlier blocks run before the one you asked for)…" : "running…"});
    this.out = el("pre", {class: "run-output"});
    this.result.replaceChildren(this.status, this.out);
    this.result.hidden = false;
  }

  output(stream, text) {
    if (!this.out) this.begin(false);
    if (stream === "stderr") this.out.append(el("span", {class: "stderr", text}));
    else this.out.append(document.createTextNode(text));
  }

  system(text) {
    if (!this.out) this.begin(false);
    this.result.append(el("div", {class: "system", text}));
  }

  end(ev) {
    this.root.classList.remove("running");
    this.root.classList.add(ev.status === "passed" ? "passed" : ev.status === "failed" ? "failed" : "skipped");
    const ms = ev.ms !== undefined ? " in " + ev.ms + " ms" : "";
    let text;
    if (ev.status === "passed") {
      text = this.mode === "lockcheck-fail" ? "✓ javac accepts it, and lockcheck flags it, as the chapter says" + ms
        : ev.expected !== undefined ? "✓ printed the expected output" + ms
        : this.mode === "compile-only" ? "✓ compiles (not run: " + this.root.querySelector(".cell-tag").textContent + ")" + ms
        : "✓ ran" + ms + (ev.stdout ? "" : ", printing nothing, as the chapter expects");
    } else if (ev.status === "skipped") {
      text = ev.summary;
    } else if (ev.timedOut) {
      text = "Stopped: " + ev.summary;
    } else if (this.mode === "lockcheck-fail" && (ev.summary || "").startsWith("lockcheck did not report")) {
      text = "✓ lockcheck no longer reports this block: your version does not hold a lock across a blocking call";
    } else {
      text = "✗ " + (ev.summary || "failed") + ms;
    }
    this.status = this.status || el("div");
    this.status.textContent = text;
    this.status.className = "run-status " + (ev.timedOut ? "timeout" : ev.status);
    if (!this.out) this.begin(false);
    if (ev.diff) {
      // what was printed, each line marked against the expected output (the runner's own matching)
      const pre = el("pre", {class: "run-output diffed"});
      for (const line of ev.diff) {
        pre.append(el("span", {class: "diff-" + line.op, text: (line.op === "expected" ? "− " : line.op === "actual" ? "+ " : "  ") + line.text + "\n"}));
      }
      this.out.replaceWith(pre);
      this.out = pre;
      if (!ev.matches) this.result.append(el("div", {class: "system",
        text: "− lines the chapter expects but were not printed, + lines printed but not expected"}));
    } else if (ev.stdout !== undefined && this.out.textContent === "" && ev.stdout) {
      this.out.textContent = ev.stdout;
    }
    if (ev.status === "failed" && ev.details) {
      this.result.append(el("details", {class: "details"}, el("summary", {text: "details"}),
        el("pre", {text: ev.details})));
    }
    if (ev.status === "failed" && ev.line > 0 && ev.line <= this.view.state.doc.lines && !ev.timedOut) {
      const line = this.view.state.doc.line(ev.line);
      this.view.dispatch(setDiagnostics(this.view.state, [{from: line.from, to: line.to, severity: "error",
        message: ev.summary, source: "JShell"}]));
    }
    this.out = null;
  }

  timeline(ev) {
    const img = el("img", {src: "/" + ev.svg, alt: "a timeline of the threads of this run: " + ev.sentences.join("; ")});
    const list = el("ul", {class: "sentences"});
    for (const s of ev.sentences) list.append(el("li", {text: s}));
    this.timelinePanel.replaceChildren(el("div", {class: "cell-caption", text: "what the threads did"}), img, list);
    this.timelinePanel.hidden = false;
  }

  // -- Check: lockcheck on the block as it is now, its spans marked in the editor --

  async check() {
    const res = await post("check", {page, block: this.index, code: this.code()});
    this.checkPanel.classList.remove("stale");
    this.checkPanel.hidden = false;
    if (!res.ok) {
      this.checkPanel.replaceChildren(el("div", {class: "system", text: await errorOf(res)}));
      return;
    }
    const r = await res.json();
    const doc = this.view.state.doc;
    const pos = (line, col) => {
      if (line < 1 || line > doc.lines) return null;
      const l = doc.line(line);
      return Math.min(l.to, l.from + Math.max(0, col - 1));
    };
    const diagnostics = [];
    const panel = [];
    for (const f of r.findings) {
      const box = el("div", {class: "diag"});
      box.append(el("div", {class: "diag-title", text: "warning[" + f.rule + "]: " + f.message}));
      const spans = el("ul", {class: "diag-spans"});
      for (const m of f.marks) {
        const from = pos(m.line, m.column);
        let to = pos(m.endLine, m.endColumn);
        if (from === null) continue;
        if (to === null || to <= from) to = Math.min(doc.line(m.line).to, from + 1);
        diagnostics.push({from, to, severity: m.role === "blocks" ? "warning" : "info",
          message: m.label || m.role, source: "lockcheck", markClass: "cm-mark-" + m.role});
        spans.append(el("li", {class: "role-" + m.role, text: "line " + m.line + ": " + (m.label || m.role)}));
      }
      box.append(spans);
      const help = el("ul", {class: "diag-help"});
      for (const h of f.help) help.append(el("li", {text: "help: " + h}));
      box.append(help);
      const links = el("p", {class: "diag-links"});
      if (f.rulePage) links.append(el("a", {href: f.rulePage, text: "the rule: " + f.rule}));
      if (f.chapterSection) links.append(" · ", el("a", {href: f.chapterSection, text: "read: " + f.chapterLabel}));
      box.append(links);
      panel.push(box);
    }
    for (const p of r.problems) panel.push(el("div", {class: "system", text: "lockcheck could not analyse it: " + p}));
    if (r.findings.length === 0 && r.problems.length === 0) {
      panel.push(el("div", {class: "diag-clean", text: "✓ lockcheck: no lock is held across a blocking call here."}));
    }
    this.checkPanel.replaceChildren(...panel);
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
  }
}

let runs = 0;
function setBusy(on) {
  runs += on ? 1 : -1;
  document.body.classList.toggle("running", runs > 0);
}

let current = null;
function dispatch(ev) {
  const cell = cells[ev.block];
  if (!cell) return;
  switch (ev.type) {
    case "start": current = cell; cell.begin(ev.implicit); cell.root.classList.add("busy"); break;
    case "out": cell.output(ev.stream, ev.text); break;
    case "system": cell.system(ev.text); break;
    case "end": cell.end(ev); cell.root.classList.remove("busy"); break;
    case "timeline": cell.timeline(ev); break;
    default: break;
  }
}

// ---- events: exercise status, notices, the server being there ------------------------------------------

function banner(text) {
  let b = document.getElementById("notice");
  if (!b) {
    b = el("div", {id: "notice", class: "notice", role: "status"});
    document.querySelector("main").prepend(b);
  }
  b.textContent = text;
}

function showStatus(s) {
  for (const span of document.querySelectorAll('.status[data-exercise="' + CSS.escape(s.exercise) + '"]')) {
    span.className = "status status-" + s.status;
    span.textContent = s.status === "passed" ? "✓ passed" : s.status === "failed" ? "✗ failed" : "not started";
  }
  const restart = document.getElementById("restart");
if (restart) restart.addEventListener("click", async () => {
  restart.disabled = true;
  const res = await post("reset", {page});
  restart.disabled = false;
  if (!res.ok) { banner(await errorOf(res)); return; }
  for (const cell of cells) {
    if (!cell) continue;
    cell.root.classList.remove("passed", "failed", "running", "busy");
    cell.result.hidden = true;
    cell.result.replaceChildren();
    cell.timelinePanel.hidden = true;
    cell.timelinePanel.replaceChildren();
  }
  banner("This page's JShell was closed: the next Run starts a fresh one, from the chapter's first block.");
});
const ex = document.querySelector(".exercise");
  if (ex && ex.dataset.exercise === s.exercise) {
    document.getElementById("summary").textContent = s.gradedAt ? s.summary + " (graded "
      + new Date(s.gradedAt).toLocaleTimeString() + (s.gradeMillis ? ", " + s.gradeMillis + " ms" : "") + ")" : "";
    const failure = document.getElementById("failure");
    failure.textContent = (s.details || []).join("\n\n");
    failure.hidden = !s.details || s.details.length === 0;
  }
  const count = document.getElementById("passed-count");
  if (count) count.textContent = document.querySelectorAll("ul.exercises .status-passed").length;
}

function listen() {
  const source = new EventSource("/api/events" + (page ? "?page=" + encodeURIComponent(page) : ""));
  const dot = document.getElementById("connection");
  source.addEventListener("open", () => { if (dot) { dot.textContent = "● live"; dot.className = "connection up"; } });
  source.addEventListener("error", () => { if (dot) { dot.textContent = "● server gone"; dot.className = "connection down"; } });
  source.addEventListener("hello", e => {
    const d = JSON.parse(e.data);
    for (const s of d.statuses) if (s.gradedAt) showStatus(s);
    if (d.notice) banner(d.notice);
  });
  source.addEventListener("status", e => showStatus(JSON.parse(e.data)));
  source.addEventListener("notice", e => banner(JSON.parse(e.data).text));
}

// ---- exercise pages ---------------------------------------------------------------------------------

function exercisePage(root) {
  const name = root.dataset.exercise;
  const hint = root.querySelector("button.hint");
  if (hint) hint.addEventListener("click", async () => {
    const res = await post("hint", {exercise: name});
    if (!res.ok) { banner(await errorOf(res)); return; }
    const h = await res.json();
    if (h.html) {
      const li = el("li");
      li.innerHTML = h.html; // the exercise README's own Markdown, rendered by the server with raw HTML escaped
      document.getElementById("hint-list").append(li);
    }
    const next = (h.number || h.total) + 1;
    if (h.done || h.number >= h.total) { hint.disabled = true; hint.textContent = "All " + h.total + " hints shown"; }
    else hint.textContent = "Show hint " + next + " of " + h.total;
  });
  const grade = root.querySelector("button.grade");
  if (grade) grade.addEventListener("click", () => post("grade", {exercise: name}));
  const solution = async giveUp => {
    const res = await post("solution", {exercise: name, giveUp});
    const box = document.getElementById("solution-files");
    if (!res.ok) { box.replaceChildren(el("p", {class: "system", text: await errorOf(res)})); return; }
    const files = (await res.json()).files;
    box.replaceChildren();
    for (const f of files) {
      const code = el("code", {class: "language-java", text: f.text});
      box.append(el("h3", {}, el("code", {text: f.path})), el("pre", {}, code));
      if (window.hljs) window.hljs.highlightElement(code);
    }
  };
  root.querySelector("button.show-solution").addEventListener("click", () => solution(false));
  root.querySelector("button.give-up").addEventListener("click", () => {
    if (window.confirm("Show the reference solution of " + name + " even though it does not pass yet?")) solution(true);
  });
}

// ---- start ---------------------------------------------------------------------------------------------

for (const root of document.querySelectorAll(".cell")) {
  try {
    cells[Number(root.dataset.index)] = new Cell(root);
  } catch (e) {
    root.append(el("div", {class: "system", text: "this block's editor failed to start: " + e}));
  }
}
const ex = document.querySelector(".exercise");
if (ex) exercisePage(ex);
const end = document.getElementById("chapter-end");
if (end && "IntersectionObserver" in window) {
  const seen = new IntersectionObserver(entries => {
    if (entries.some(e => e.isIntersecting)) {
      seen.disconnect();
      post("read", {chapter: Number(end.dataset.chapter)});
    }
  });
  seen.observe(end);
}
listen();
document.body.classList.add("ready");
