// The neighbourhood of one entity, drawn with Cytoscape.js (vendored: works offline).
// Markup: <div id="graph-view" data-elements="URL of the Cytoscape.js elements JSON"></div>
// Nodes are coloured by kind and link to their own Linked Data page; inferred edges are dashed.
(function () {
  "use strict";
  var container = document.getElementById("graph-view");
  if (!container || typeof cytoscape !== "function") { return; }
  fetch(container.dataset.elements, { headers: { "Accept": "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (elements) {
      var cy = cytoscape({
        container: container,
        elements: elements,
        // the entity in the middle, its neighbours on a ring around it
        layout: { name: "concentric", animate: false, avoidOverlap: true, minNodeSpacing: 40,
                  concentric: function (node) { return node.id() === container.dataset.centre ? 2 : 1; },
                  levelWidth: function () { return 1; } },
        style: [
          { selector: "node", style: {
              "label": "data(label)", "background-color": "data(colour)", "border-width": 1,
              "border-color": "#555", "font-size": 10, "text-wrap": "wrap", "text-max-width": 140,
              "text-valign": "bottom", "text-margin-y": 4, "width": 18, "height": 18 } },
          { selector: "node.centre", style: { "width": 30, "height": 30, "border-width": 3 } },
          { selector: "edge", style: {
              "label": "data(label)", "font-size": 8, "curve-style": "bezier", "target-arrow-shape": "triangle",
              "width": 1, "line-color": "#888", "target-arrow-color": "#888", "text-rotation": "autorotate" } },
          { selector: "edge[?inferred]", style: { "line-style": "dashed" } }
        ]
      });
      cy.nodes("[id = '" + container.dataset.centre + "']").addClass("centre");
      cy.on("tap", "node", function (event) {
        var iri = event.target.id();
        if (iri !== container.dataset.centre && container.dataset.pageOf) {
          window.location.href = container.dataset.pageOf.replace("{iri}", encodeURIComponent(iri));
        }
      });
      container.setAttribute("data-rendered", String(cy.nodes().length));
    })
    .catch(function (error) {
      container.textContent = "The graph view could not be drawn: " + error.message;
    });
})();
