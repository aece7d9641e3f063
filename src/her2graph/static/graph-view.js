// The neighbourhood of one entity, drawn with Cytoscape.js (vendored: works offline).
// Markup: <div id="graph-view" data-elements="URL of the Cytoscape.js elements JSON" data-centre="IRI"></div>
// and, optionally, <ul id="graph-legend"></ul> for the legend of node kinds.
// Nodes are coloured by kind (the legend names each colour) and link to their own Linked Data page; many
// neighbours linked the same way come as one group node (network_export.neighbourhood_elements) that opens on
// a click; inferred edges are dashed. The centre sits in the middle, the rest on rings around it, each node
// as large as its label (nodeDimensionsIncludeLabels, avoidOverlap), so labels do not overlap.
(function () {
  "use strict";
  var container = document.getElementById("graph-view");
  if (!container || typeof cytoscape !== "function") { return; }

  function legend(cy) {
    var list = document.getElementById("graph-legend");
    if (!list) { return; }
    var kinds = {};
    cy.nodes().forEach(function (node) {
      if (!node.data("group")) { kinds[node.data("kind")] = node.data("colour"); }
    });
    var entries = Object.keys(kinds).sort().map(function (kind) { return [kind, kinds[kind], "kind"]; });
    if (cy.nodes("[?group]").length) { entries.push(["neighbours linked the same way", null, "group"]); }
    if (cy.edges("[?inferred]").length) { entries.push(["inferred link", null, "inferred"]); }
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch " + entry[2];
      if (entry[1]) { swatch.style.backgroundColor = entry[1]; }  // CSSOM, allowed by the content policy
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry[0]));
      list.appendChild(item);
    });
  }

  fetch(container.dataset.elements, { headers: { "Accept": "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (elements) {
      var cy = cytoscape({
        container: container,
        elements: elements,
        minZoom: 0.3, maxZoom: 3,
        layout: { name: "preset" },
        style: [
          { selector: "node", style: {
              "label": "data(label)", "background-color": "data(colour)", "border-width": 1,
              "border-color": "#555", "font-size": 11, "text-wrap": "wrap", "text-max-width": 130,
              "text-valign": "bottom", "text-margin-y": 3, "width": 16, "height": 16,
              "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 1 } },
          { selector: "node.centre", style: { "width": 28, "height": 28, "border-width": 3, "font-weight": "bold",
                                              "font-size": 13 } },
          { selector: "node[?group]", style: {
              "shape": "round-rectangle", "width": 26, "height": 18, "background-color": "#f6f7f9",
              "border-color": "#6b7385", "border-style": "dashed", "border-width": 2, "font-style": "italic" } },
          { selector: ".hidden", style: { "display": "none" } },
          { selector: "edge", style: {
              "label": "data(label)", "font-size": 9, "color": "#444", "curve-style": "bezier",
              "target-arrow-shape": "triangle", "width": 1, "line-color": "#999", "target-arrow-color": "#999",
              "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.85 } },
          { selector: "edge[?inferred]", style: { "line-style": "dashed" } }
        ]
      });
      var centre = cy.getElementById(container.dataset.centre).addClass("centre");
      cy.elements("[grouped]").addClass("hidden");
      function arrange() {  // one ring around the centre; two, alternating, when one would be too wide
        var shown = cy.elements().not(".hidden");  // by class: a style's :visible lags a change of class
        var around = shown.nodes().not(centre);
        var rings = around.length > 16 ? 2 : 1;
        around.forEach(function (node, index) { node.scratch("_ring", 1 + (index % rings)); });
        shown.layout({
          name: "concentric", animate: false, avoidOverlap: true, nodeDimensionsIncludeLabels: true,
          minNodeSpacing: 18, padding: 16, startAngle: -Math.PI / 2,
          concentric: function (node) { return node.same(centre) ? 3 : node.scratch("_ring"); }, levelWidth: function () { return 1; }
        }).run();
      }
      arrange();
      cy.on("tap", "node", function (event) {
        var node = event.target;
        if (node.data("group")) {  // open the group: its members take its place
          cy.elements("[grouped = '" + node.id() + "']").removeClass("hidden");
          node.remove();
          arrange();
          return;
        }
        if (node.same(centre) || !container.dataset.pageOf) { return; }
        window.location.href = container.dataset.pageOf.replace("{iri}", encodeURIComponent(node.id()));
      });
      cy.on("mouseover", "node", function (event) { container.title = event.target.data("title") || ""; });
      cy.on("mouseout", "node", function () { container.title = ""; });
      legend(cy);
      container.cy = cy;  // for the browser's console and the tests
      container.setAttribute("data-rendered", String(cy.nodes("[!group]").length));
    })
    .catch(function (error) {
      container.textContent = "The graph view could not be drawn: " + error.message;
    });
})();
