// The query page: examples into the editor, the query to /sparql, the answer as a table with links.
// Plain script, no library, no network beyond the service itself. Text goes in with textContent only.
(function () {
  "use strict";
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const picker = document.getElementById("example");
  const described = document.getElementById("example-description");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const yasgui = document.getElementById("yasgui");
  const examples = JSON.parse(document.getElementById("examples").textContent);
  const prefixes = Object.entries(JSON.parse(document.getElementById("prefixes").textContent))
    .sort((a, b) => b[1].length - a[1].length);
  const base = form.dataset.base;
  const localFolders = ["resource/", "ontology/", "graph/"];

  function localPath(iri) {
    if (!iri.startsWith(base)) return null;
    const rest = iri.slice(base.length);
    const ours = rest === "ontology" || localFolders.some((f) => rest.startsWith(f) && rest !== f);
    return ours ? form.dataset.root + "/" + rest : null;
  }

  function prefixed(iri) {
    for (const [prefix, namespace] of prefixes) {
      const local = iri.slice(namespace.length);
      if (iri.startsWith(namespace) && /^[A-Za-z0-9_.-]+$/.test(local)) return prefix + ":" + local;
    }
    return iri;
  }

  function element(name, text, className) {
    const node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function termNode(term) {
    if (!term) return element("span", "", "unbound");
    if (term.type === "uri") {
      const href = localPath(term.value) || (/^https?:\/\//.test(term.value) ? term.value : null);
      const node = element(href ? "a" : "span", prefixed(term.value), "iri");
      if (href) node.href = href;
      node.title = term.value;
      return node;
    }
    if (term.type === "bnode") return element("span", "_:" + term.value, "bnode");
    const node = element("span", term.value, "literal");
    const note = term["xml:lang"] ? "@" + term["xml:lang"]
      : term.datatype && !term.datatype.endsWith("#string") ? prefixed(term.datatype) : null;
    if (note) {
      const wrapper = element("span");
      wrapper.append(node, " ", element("span", note, "annotation"));
      return wrapper;
    }
    return node;
  }

  function showTable(data) {
    const variables = data.head.vars;
    const rows = data.results.bindings;
    const table = element("table", undefined, "results");
    const head = table.createTHead().insertRow();
    for (const name of variables) head.append(element("th", name));
    const body = table.createTBody();
    for (const binding of rows) {
      const row = body.insertRow();
      for (const name of variables) row.insertCell().append(termNode(binding[name]));
    }
    results.replaceChildren(table);
    return rows.length + (rows.length === 1 ? " row" : " rows");
  }

  function showExample(index) {
    const example = examples[index];
    if (!example) return;
    editor.value = example.text;
    described.textContent = example.description;
    updateYasgui();
  }

  function updateYasgui() {
    const parameters = new URLSearchParams({ query: editor.value, endpoint: form.dataset.endpointUrl,
                                             requestMethod: "POST" });
    yasgui.href = form.dataset.yasgui + "#" + parameters.toString();
  }

  async function run(event) {
    if (event) event.preventDefault();
    status.textContent = "running…";
    status.className = "";
    const started = performance.now();
    try {
      const response = await fetch(form.dataset.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query: editor.value }),
      });
      const text = await response.text();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (!response.ok) {
        results.replaceChildren(element("pre", text, "error"));
        status.textContent = response.status + " " + response.statusText;
        status.className = "error";
        return;
      }
      let summary;
      if ((response.headers.get("Content-Type") || "").includes("json")) {
        const data = JSON.parse(text);
        if ("boolean" in data) {
          results.replaceChildren(element("p", String(data.boolean), "boolean"));
          summary = "yes/no answer";
        } else {
          summary = showTable(data);
        }
      } else {
        results.replaceChildren(element("pre", text, "graph"));
        summary = "graph";
      }
      status.textContent = summary + " in " + seconds + " s";
    } catch (error) {
      status.textContent = "the service did not answer: " + error.message;
      status.className = "error";
    }
  }

  picker.addEventListener("change", () => showExample(picker.value));
  editor.addEventListener("input", updateYasgui);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
  });
  form.addEventListener("submit", run);
  const first = examples.findIndex((example) => example.text === editor.value);
  if (first >= 0) {
    picker.value = String(first);
    described.textContent = examples[first].description;
  }
  updateYasgui();
})();
