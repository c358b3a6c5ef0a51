// newskg resource page: the neighbourhood graph (Cytoscape.js) and the timeline (SVG),
// both drawn from the JSON the page embeds in #page-data.
(function () {
  "use strict";
  var COLOURS = {
    person: "#c2562b", organization: "#1f5fa8", mission: "#6a4aa8", place: "#2e8b57",
    event: "#b8860b", article: "#6b7280", membership: "#8a5a44", role: "#8a5a44",
    resource: "#8892a0"
  };
  var SVG = "http://www.w3.org/2000/svg";

  function readData() {
    var element = document.getElementById("page-data");
    return element ? JSON.parse(element.textContent) : { graph: { nodes: [], edges: [] }, timeline: [] };
  }

  function drawGraph(graph) {
    var box = document.getElementById("graph");
    if (!box || typeof cytoscape === "undefined" || graph.nodes.length < 2) return;
    var elements = graph.nodes.map(function (n) { return { group: "nodes", data: n }; })
      .concat(graph.edges.map(function (e) { return { group: "edges", data: e }; }));
    var cy = cytoscape({
      container: box,
      elements: elements,
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
          "text-wrap": "ellipsis", "text-max-width": 140, "width": 18, "height": 18,
          "background-color": function (n) { return COLOURS[n.data("kind")] || COLOURS.resource; }
        } },
        { selector: "node[center = 'yes']", style: {
          "width": 30, "height": 30, "border-width": 3, "border-color": "#1d2330",
          "font-weight": "bold"
        } },
        { selector: "edge", style: {
          "label": "data(label)", "font-size": 9, "color": "#5d6675", "width": 1.5,
          "line-color": "#c3c9d3", "target-arrow-color": "#c3c9d3",
          "target-arrow-shape": "triangle", "curve-style": "bezier",
          "text-rotation": "autorotate", "text-background-color": "#fff",
          "text-background-opacity": 0.8
        } }
      ],
      layout: { name: "concentric", animate: false, fit: true, padding: 24,
                minNodeSpacing: 36, avoidOverlap: true,
                concentric: function (n) { return n.data("center") === "yes" ? 100 : n.degree(); },
                levelWidth: function () { return 2; } }
    });
    cy.on("tap", "node", function (event) {
      var href = event.target.data("href");
      if (href && event.target.data("center") !== "yes") window.location.href = href;
    });
    box.setAttribute("data-rendered", String(cy.nodes().length));
    window.newskgGraph = cy;
  }

  function make(name, attributes, parent) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(element);
    return element;
  }

  function day(text) {
    // xsd:date "2024-03-14" or xsd:gYearMonth "2024-03": milliseconds since the epoch
    var parts = text.split("-").map(Number);
    return Date.UTC(parts[0], (parts[1] || 1) - 1, parts[2] || 1);
  }

  function drawTimeline(items) {
    var box = document.getElementById("timeline");
    if (!box || !items.length) return;
    var width = Math.max(box.clientWidth, 480), rowHeight = 22, top = 28, left = 16, right = 16;
    var starts = items.map(function (i) { return day(i.start); });
    var ends = items.map(function (i) { return day(i.end || i.start); });
    var low = Math.min.apply(null, starts), high = Math.max.apply(null, ends);
    if (high - low < 864e5 * 30) { low -= 864e5 * 15; high += 864e5 * 15; }
    var scale = function (t) { return left + (t - low) / (high - low) * (width - left - right); };
    var height = top + items.length * rowHeight + 8;
    var svg = make("svg", { viewBox: "0 0 " + width + " " + height, height: height,
                            role: "img", "aria-label": "timeline" }, box);
    make("line", { x1: left, x2: width - right, y1: top - 10, y2: top - 10, "class": "axis" }, svg);
    var first = new Date(low).getUTCFullYear(), last = new Date(high).getUTCFullYear();
    var step = Math.max(1, Math.ceil((last - first + 1) / 10));
    for (var year = first; year <= last + 1; year += step) {
      var x = scale(Date.UTC(year, 0, 1));
      if (x < left || x > width - right) continue;
      var tick = make("g", { "class": "tick" }, svg);
      make("line", { x1: x, x2: x, y1: top - 14, y2: height, stroke: "#e3e7ee" }, tick);
      make("text", { x: x + 2, y: top - 14 }, tick).textContent = String(year);
    }
    items.forEach(function (item, index) {
      var y = top + index * rowHeight + 6;
      var x1 = scale(day(item.start)), x2 = scale(day(item.end || item.start));
      var group = item.href ? make("a", { href: item.href }, svg) : make("g", {}, svg);
      group.setAttribute("class", "item");
      make("rect", { x: x1 - 4, y: y - 5, width: Math.max(x2 - x1, 0) + 8, height: 10, rx: 5,
                     "class": "item-" + item.kind }, group);
      var text = make("text", { y: y + 4 }, group);
      text.textContent = item.start + (item.end && item.end !== item.start ? " – " + item.end : "") +
        "  " + item.label;
      var anchorRight = x2 > width * 0.6;
      text.setAttribute("x", anchorRight ? x1 - 8 : x2 + 8);
      text.setAttribute("text-anchor", anchorRight ? "end" : "start");
    });
    box.setAttribute("data-rendered", String(items.length));
  }

  function start() {
    var data = readData();
    drawGraph(data.graph);
    drawTimeline(data.timeline);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
