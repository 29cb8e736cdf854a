// scoreboard serve: the page's little script. The server renders every part; this sends the
// dropped files, swaps in the parts of each new build (server-sent events, polling if they
// fail), and filters and sorts the issues grid. No library, nothing loaded from elsewhere.
"use strict";
(function () {
  const words = JSON.parse(document.getElementById("words").textContent);
  const $ = (id) => document.getElementById(id);
  const fill = (template, args) =>
    template.replace(/\{(\w+)\}/g, (m, key) => (key in args ? String(args[key]) : m));
  let generation = Number(document.body.dataset.generation);
  let dashboardShown = -1;
  let sortState = { col: -1, dir: "asc" };

  function say(lines, cls) {
    const list = $("messages");
    list.replaceChildren();
    for (const line of lines) {
      const li = document.createElement("li");
      li.textContent = line.text;
      if (line.cls || cls) li.className = line.cls || cls;
      list.appendChild(li);
    }
  }

  async function send(files) {
    if (!files.length) return;
    say([{ text: fill(words.uploading, { count: files.length }), cls: "busy" }]);
    const body = new FormData();
    for (const f of files) body.append("files", f, f.name);
    try {
      const r = await fetch("/upload", { method: "POST", body, headers: { Accept: "application/json" } });
      const results = await r.json();
      // Each refusal and replacement on its own line; plain arrivals on one.
      const plain = results.filter((d) => !d.refused && !d.replaced);
      const lines = results.filter((d) => d.refused || d.replaced)
        .map((d) => ({ text: d.message, cls: d.refused ? "refused" : "" }));
      if (plain.length > 2) {
        lines.unshift({ text: fill(words.stored_many, { count: plain.length, names: plain.map((d) => d.stored).join(", ") }) });
      } else {
        lines.unshift(...plain.map((d) => ({ text: d.message })));
      }
      say(lines);
    } catch (e) {
      say([{ text: String(e), cls: "refused" }]);
    }
    $("file-input").value = "";
  }

  const zone = document.querySelector(".dropzone");
  ["dragenter", "dragover"].forEach((t) =>
    zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) =>
    zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.remove("over"); }));
  zone.addEventListener("drop", (e) => send(Array.from(e.dataTransfer.files)));
  $("file-input").addEventListener("change", (e) => send(Array.from(e.target.files)));
  $("upload").addEventListener("submit", (e) => { e.preventDefault(); send(Array.from($("file-input").files)); });

  $("files-body").addEventListener("submit", async (e) => {
    const form = e.target.closest("form.remove");
    if (!form) return;
    e.preventDefault();
    const name = form.elements.file.value;
    if (!window.confirm(fill(words.remove_confirm, { name, removed: words.removed_dir }))) return;
    const r = await fetch("/remove", {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ file: name }),
    });
    const answer = await r.json();
    say([{ text: answer.message || (answer[0] && answer[0].message) || "", cls: r.ok ? "" : "refused" }]);
  });

  // Corrections, undos and files put back: forms posted by the script, the outcome said.
  document.addEventListener("submit", async (e) => {
    const form = e.target.closest("form.correct, form.undo, form.restore, form.unmap");
    if (!form) return;
    e.preventDefault();
    if (form.classList.contains("unmap")) {
      const what = form.closest("li").firstChild.textContent.trim();
      if (!window.confirm(fill(words.unmap_confirm, { what }))) return;
    }
    const r = await fetch(form.getAttribute("action"), {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)),
    });
    const answer = await r.json().catch(() => ({}));
    say([{ text: answer.message || (answer[0] && answer[0].message) || String(r.status), cls: r.ok ? "" : "refused" }]);
    if (r.ok) refresh();
  });

  async function choose(fields) {
    await fetch("/choose", {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  }
  $("lang").addEventListener("change", (e) => choose({ lang: e.target.value }));
  $("choose-month").addEventListener("submit", (e) => { e.preventDefault(); choose({ month: $("month").value }); });

  // The grid: filters, the count, sorting.
  function applyFilters() {
    const file = $("f-file") ? $("f-file").value : "";
    const severity = $("f-severity") ? $("f-severity").value : "";
    const kind = $("f-kind") ? $("f-kind").value : "";
    const onlyErrors = $("f-errors") ? $("f-errors").checked : false;
    let shown = 0;
    const rows = $("grid-body").rows;
    for (const row of rows) {
      const d = row.dataset;
      const visible = (!file || d.file === file) && (!severity || d.severity === severity) &&
        (!kind || d.kind === kind) && (!onlyErrors || d.severity === "error");
      row.hidden = !visible;
      if (visible) shown++;
    }
    $("shown").textContent = fill(words.shown, { shown, total: $("shown").dataset.total });
  }
  $("filters").addEventListener("change", () => { applyFilters(); saveGrid(); });

  // The grid's filters and sort outlive a reload (a language chosen, a mapping page and back)
  // for the browser tab's session.
  const GRID = "scoreboard-grid";
  function saveGrid() {
    const value = (id) => ($(id) ? $(id).value : "");
    const state = { file: value("f-file"), severity: value("f-severity"), kind: value("f-kind"),
      errors: $("f-errors") ? $("f-errors").checked : false, sort: sortState };
    try { sessionStorage.setItem(GRID, JSON.stringify(state)); } catch (e) { /* storage off */ }
  }
  function restoreGrid() {
    let s = null;
    try { s = JSON.parse(sessionStorage.getItem(GRID) || "null"); } catch (e) { s = null; }
    if (!s) return;
    for (const [id, v] of [["f-file", s.file], ["f-severity", s.severity], ["f-kind", s.kind]]) {
      if ($(id) && Array.from($(id).options).some((o) => o.value === v)) $(id).value = v;
    }
    if ($("f-errors")) $("f-errors").checked = !!s.errors;
    if (s.sort && s.sort.col >= 0) { sortState = s.sort; sortBy(s.sort.col, s.sort.dir); }
  }

  function sortBy(col, dir) {
    const body = $("grid-body");
    const rows = Array.from(body.rows);
    const key = (row) => (col < 0 ? row.dataset.n : row.cells[col].dataset.sort || "");
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      const nx = Number(x), ny = Number(y);
      const c = x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
      return dir === "asc" ? c : -c;
    });
    body.append(...rows);
    document.querySelectorAll("th button.sort").forEach((b) => {
      if (Number(b.dataset.col) === col) b.dataset.dir = dir; else delete b.dataset.dir;
    });
  }
  document.querySelectorAll("th button.sort").forEach((b) =>
    b.addEventListener("click", () => {
      const col = Number(b.dataset.col);
      const dir = sortState.col === col && sortState.dir === "asc" ? "desc" : "asc";
      sortState = { col, dir };
      sortBy(col, dir);
      saveGrid();
    }));

  // Each new build: its parts swapped in, the filters and sort kept.
  let refreshing = false, again = false;
  async function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    try {
      const r = await fetch("/api/parts", { headers: { Accept: "application/json" } });
      const p = await r.json();
      if (p.lang !== document.body.dataset.lang && p.phase !== "reading") {
        window.location.reload();
        return;
      }
      generation = p.generation;
      document.body.dataset.generation = String(generation);
      document.body.dataset.phase = p.phase;
      $("status").innerHTML = p.status;
      $("files-body").innerHTML = p.files;
      const keep = ["f-file", "f-severity", "f-kind"].map((id) => [id, $(id) ? $(id).value : ""]);
      const errors = $("f-errors") ? $("f-errors").checked : false;
      $("filters").innerHTML = p.filters;
      for (const [id, v] of keep) if ($(id) && Array.from($(id).options).some((o) => o.value === v)) $(id).value = v;
      if ($("f-errors")) $("f-errors").checked = errors;
      $("grid-body").innerHTML = p.issues;
      $("shown").dataset.total = p.issue_count;
      if (sortState.col >= 0) sortBy(sortState.col, sortState.dir);
      applyFilters();
      $("downloads-body").innerHTML = p.downloads;
      $("removed-body").innerHTML = p.removed;
      $("mappings-body").innerHTML = p.mappings;
      if (p.phase !== "reading" && p.dashboard !== dashboardShown) {
        dashboardShown = p.dashboard;
        $("dashboard-frame").src = "/dashboard?g=" + p.dashboard;
      }
    } catch (e) {
      // The next event or poll tries again.
    } finally {
      refreshing = false;
      if (again) { again = false; refresh(); }
    }
  }

  function poll() { refresh().finally(() => setTimeout(poll, 2000)); }
  if (window.EventSource) {
    const events = new EventSource("/events");
    events.addEventListener("built", (e) => { if (Number(e.data) !== generation) refresh(); });
    events.onerror = () => { events.close(); poll(); };
  } else {
    poll();
  }
  dashboardShown = Number(document.body.dataset.dashboard || -1);
  restoreGrid();
  applyFilters();
})();
