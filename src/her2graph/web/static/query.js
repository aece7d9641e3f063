// The query page: a SPARQL editor (vendored CodeMirror 5: highlighting, brackets, completion of our prefixes
// and terms), the examples, the query to /sparql, and the answer as a table that sorts, filters and pages,
// or as text in a chosen format; downloads and a permalink that runs the query. No network beyond the service
// itself; text goes into the page with textContent only. Without CodeMirror the plain textarea works.
(function () {
  "use strict";
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const picker = document.getElementById("example");
  const described = document.getElementById("example-description");
  const shownAs = document.getElementById("format");
  const status = document.getElementById("status");
  const answer = document.getElementById("answer");
  const results = document.getElementById("results");
  const filter = document.getElementById("filter");
  const downloads = document.getElementById("downloads");
  const pager = document.getElementById("pager");
  const permalink = document.getElementById("permalink");
  const yasgui = document.getElementById("yasgui");
  const data = (id) => JSON.parse(document.getElementById(id).textContent);
  const examples = data("examples");
  const namespaces = data("prefixes");
  const terms = data("terms");
  const downloadsOffered = data("downloads-offered");
  const byLongestNamespace = Object.entries(namespaces).sort((a, b) => b[1].length - a[1].length);
  const base = form.dataset.base;
  const localFolders = ["resource/", "ontology/", "graph/"];
  const PAGE_SIZE = 50;
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong",
    "unsignedInt", "unsignedShort", "unsignedByte"].map((name) => "http://www.w3.org/2001/XMLSchema#" + name));

  // ------------------------------------------------------------------ the editor

  const editor = typeof CodeMirror === "function" ? CodeMirror.fromTextArea(textarea, {
    mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, indentUnit: 2,
    viewportMargin: Infinity,
    extraKeys: { "Ctrl-Enter": () => run(), "Cmd-Enter": () => run(), "Ctrl-Space": (cm) => complete(cm, true) },
  }) : null;
  const text = () => (editor ? editor.getValue() : textarea.value);
  function setText(value) {
    if (editor) editor.setValue(value); else textarea.value = value;
    edited();
  }

  // Completion: `h2` offers `h2g:` and `h2r:`; `h2g:Dr` offers the classes and properties of h2g; after
  // PREFIX, the declaration itself. Choosing a prefixed name adds its PREFIX line when the query lacks it.
  function declared(query, prefix) {
    return new RegExp("^\\s*PREFIX\\s+" + prefix.replace(/[.]/g, "\\.") + ":", "im").test(query);
  }

  function declare(cm, prefix) {
    if (!namespaces[prefix] || declared(cm.getValue(), prefix)) return;
    let line = 0;
    while (line < cm.lineCount() && /^\s*(PREFIX|BASE)\b/i.test(cm.getLine(line))) line += 1;
    cm.replaceRange("PREFIX " + prefix + ": <" + namespaces[prefix] + ">\n", { line: line, ch: 0 });
  }

  function completions(cm) {
    const cursor = cm.getCursor();
    const before = cm.getLine(cursor.line).slice(0, cursor.ch);
    const declaration = /PREFIX\s+([A-Za-z][\w.-]*)?$/i.exec(before);
    if (declaration) {
      const word = declaration[1] || "";
      const list = Object.keys(namespaces).filter((p) => p.startsWith(word))
        .map((p) => ({ text: p + ": <" + namespaces[p] + ">", displayText: p + ": <" + namespaces[p] + ">" }));
      return { list: list, from: CodeMirror.Pos(cursor.line, cursor.ch - word.length), to: cursor };
    }
    const name = /([A-Za-z][\w.-]*)(:[\w.-]*)?$/.exec(before);
    if (!name) return null;
    const word = name[0];
    const from = CodeMirror.Pos(cursor.line, cursor.ch - word.length);
    let list;
    if (name[2] !== undefined) {
      list = terms.filter((term) => term.startsWith(word) && term !== word);
    } else {
      list = Object.keys(namespaces).filter((p) => p.startsWith(word)).map((p) => p + ":");
    }
    if (!list.length) return null;
    return {
      from: from, to: cursor,
      list: list.map((value) => ({
        text: value, displayText: value,
        hint: (cm, self, chosen) => {
          cm.replaceRange(chosen.text, self.from, self.to);
          declare(cm, chosen.text.split(":")[0]);
        },
      })),
    };
  }

  function complete(cm, asked) {
    const token = cm.getTokenAt(cm.getCursor());
    if (!asked && /string|comment|variable-3/.test(token.type || "")) return;
    cm.showHint({ hint: completions, completeSingle: false });
  }

  if (editor) {
    editor.on("inputRead", (cm, change) => {
      if (change.origin === "+input" && /^[\w:]$/.test(change.text[0] || "")) complete(cm, false);
    });
    editor.on("change", () => { editor.save(); edited(); });
  } else {
    textarea.addEventListener("input", edited);
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
    });
  }

  // ------------------------------------------------------------------ examples, permalink, YASGUI

  let lastExample = -1;

  function edited() {
    const query = text();
    const index = examples.findIndex((example) => example.text === query);
    if (index >= 0) {
      lastExample = index;
      picker.value = String(index);
      described.textContent = examples[index].description;
    } else {
      picker.value = "";
      described.textContent = lastExample >= 0
        ? "Your own query, edited from the example “" + examples[lastExample].title + "”."
        : "Your own query.";
    }
    const parameters = new URLSearchParams({ query: query });
    if (shownAs.value !== "table") parameters.set("format", shownAs.value);
    permalink.href = "?" + parameters.toString();
    yasgui.href = form.dataset.yasgui + "#" + new URLSearchParams({
      query: query, endpoint: form.dataset.endpointUrl, requestMethod: "POST" }).toString();
  }

  picker.addEventListener("change", () => {
    const example = examples[picker.value];
    if (example) setText(example.text);
  });
  shownAs.addEventListener("change", edited);

  // ------------------------------------------------------------------ terms as text

  function localPath(iri) {
    if (!iri.startsWith(base)) return null;
    const rest = iri.slice(base.length);
    const ours = rest === "ontology" || localFolders.some((f) => rest.startsWith(f) && rest !== f);
    return ours ? form.dataset.root + "/" + rest : null;
  }

  function prefixed(iri) {
    for (const [prefix, namespace] of byLongestNamespace) {
      const local = iri.slice(namespace.length);
      if (iri.startsWith(namespace) && /^[A-Za-z0-9_.-]+$/.test(local)) return prefix + ":" + local;
    }
    return iri;
  }

  function element(name, content, className) {
    const node = document.createElement(name);
    if (content !== undefined) node.textContent = content;
    if (className) node.className = className;
    return node;
  }

  const isNumber = (term) => term && term.type === "literal" && NUMERIC.has(term.datatype);

  // What a cell shows (and what filtering and sorting read): a prefixed IRI, a literal's text.
  function shown(term) {
    if (!term) return "";
    if (term.type === "uri") return prefixed(term.value);
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  }

  // A literal shows its text only; its datatype or language is on hover (numbers read as numbers).
  function termNode(term) {
    if (!term) return element("span", "", "unbound");
    if (term.type === "uri") {
      const href = localPath(term.value) || (/^https?:\/\//.test(term.value) ? term.value : null);
      const node = element(href ? "a" : "span", prefixed(term.value), "iri");
      if (href) node.href = href;
      node.title = term.value;
      return node;
    }
    if (term.type === "bnode") return element("span", shown(term), "bnode");
    const node = element("span", term.value, isNumber(term) ? "literal number" : "literal");
    if (term["xml:lang"]) node.title = "@" + term["xml:lang"];
    else if (term.datatype) node.title = prefixed(term.datatype);
    return node;
  }

  // ------------------------------------------------------------------ the result table

  const table = { variables: [], rows: [], sortBy: null, ascending: true, page: 0 };

  function compare(a, b) {
    if (!a || !b) return (a ? 0 : 1) - (b ? 0 : 1);  // unbound last
    if (isNumber(a) && isNumber(b)) return Number(a.value) - Number(b.value);
    return shown(a).localeCompare(shown(b), undefined, { numeric: true, sensitivity: "base" });
  }

  function visibleRows() {
    const words = filter.value.trim().toLowerCase();
    let rows = table.rows;
    if (words) {
      rows = rows.filter((binding) => table.variables.some((name) => {
        const term = binding[name];
        return term && (shown(term).toLowerCase().includes(words) || term.value.toLowerCase().includes(words));
      }));
    }
    if (table.sortBy !== null) {
      const name = table.sortBy;
      const direction = table.ascending ? 1 : -1;
      rows = rows.slice().sort((x, y) => direction * compare(x[name], y[name]));
    }
    return rows;
  }

  function drawTable() {
    const rows = visibleRows();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    table.page = Math.min(table.page, pages - 1);
    const first = table.page * PAGE_SIZE;
    const node = element("table", undefined, "results");
    const head = node.createTHead().insertRow();
    for (const name of table.variables) {
      const cell = element("th");
      const button = element("button", name, "sort");
      button.type = "button";
      button.title = "Sort by " + name;
      if (table.sortBy === name) {
        cell.setAttribute("aria-sort", table.ascending ? "ascending" : "descending");
        button.textContent = name + (table.ascending ? " ▲" : " ▼");
      }
      button.addEventListener("click", () => {
        table.ascending = table.sortBy === name ? !table.ascending : true;
        table.sortBy = name;
        drawTable();
      });
      cell.append(button);
      head.append(cell);
    }
    const body = node.createTBody();
    for (const binding of rows.slice(first, first + PAGE_SIZE)) {
      const row = body.insertRow();
      for (const name of table.variables) {
        const cell = row.insertCell();
        if (isNumber(binding[name])) cell.className = "number";
        cell.append(termNode(binding[name]));
      }
    }
    results.replaceChildren(node);
    pager.hidden = false;
    for (const id of ["previous", "next"]) document.getElementById(id).hidden = pages <= 1;
    document.getElementById("page-position").textContent = rows.length
      ? "rows " + (first + 1) + "–" + Math.min(first + PAGE_SIZE, rows.length) + " of " + rows.length
        + (rows.length < table.rows.length ? " (of " + table.rows.length + " before filtering)" : "")
      : "no row matches";
    document.getElementById("previous").disabled = table.page === 0;
    document.getElementById("next").disabled = table.page >= pages - 1;
  }

  function showTable(answerData) {
    table.variables = answerData.head.vars;
    table.rows = answerData.results.bindings;
    table.sortBy = null;
    table.ascending = true;
    table.page = 0;
    filter.value = "";
    filter.hidden = false;
    drawTable();
    const count = table.rows.length;
    return count + (count === 1 ? " row" : " rows");
  }

  filter.addEventListener("input", () => { table.page = 0; drawTable(); });
  document.getElementById("previous").addEventListener("click", () => { table.page -= 1; drawTable(); });
  document.getElementById("next").addEventListener("click", () => { table.page += 1; drawTable(); });

  // ------------------------------------------------------------------ running a query

  function offerDownloads(query, family) {
    const links = [element("span", "Download:")];
    for (const [key, name, extension] of downloadsOffered[family]) {
      const link = element("a", name, "download");
      link.href = form.dataset.endpoint + "?" + new URLSearchParams({ query: query, format: key }).toString();
      link.download = "her2graph-answer." + extension;
      link.dataset.format = key;
      links.push(link);
    }
    downloads.replaceChildren(...links);
  }

  function showText(body, className) {
    results.replaceChildren(element("pre", body, className));
    filter.hidden = true;
    pager.hidden = true;
  }

  async function run(event) {
    if (event) event.preventDefault();
    const query = text();
    const format = shownAs.value;
    status.textContent = "running…";
    status.className = "";
    answer.hidden = false;
    const started = performance.now();
    const parameters = new URLSearchParams({ query: query });
    if (format !== "table") parameters.set("format", format);
    try {
      const response = await fetch(form.dataset.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: parameters,
      });
      const body = await response.text();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (!response.ok) {
        showText(body, "error");
        downloads.replaceChildren();
        status.textContent = response.status + " " + response.statusText;
        status.className = "error";
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      const graph = /turtle|n-triples|rdf\+xml|ld\+json/.test(type);
      offerDownloads(query, graph ? "graph" : "results");
      let summary;
      if (format === "table" && type.startsWith("application/sparql-results+json")) {
        const parsed = JSON.parse(body);
        if ("boolean" in parsed) {
          results.replaceChildren(element("p", String(parsed.boolean), "boolean"));
          filter.hidden = true;
          pager.hidden = true;
          summary = "yes/no answer";
        } else {
          summary = showTable(parsed);
        }
      } else {
        showText(body, graph ? "graph" : "text");
        summary = graph ? "graph" : type.split(";")[0];
      }
      status.textContent = summary + " in " + seconds + " s";
    } catch (error) {
      status.textContent = "the service did not answer: " + error.message;
      status.className = "error";
    }
  }

  form.addEventListener("submit", run);
  edited();
  if (form.dataset.run) run();  // opened by a permalink (/?query=…): run it, as the link promises
})();
