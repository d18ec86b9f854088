// The network map: zoom, pan and path highlighting on the server-drawn SVG.
// Without JavaScript the map still shows, and each path in the list is a link
// that asks the server to highlight it. No external code, no inline scripts.
(() => {
  "use strict";

  const area = () => document.getElementById("map-area");
  const svgIn = (root) => root && root.querySelector("svg.network-map");

  function data(root) {
    const script = root.querySelector("#map-data");
    try {
      return script ? JSON.parse(script.textContent) : { paths: {}, nodes: {} };
    } catch (error) {
      return { paths: {}, nodes: {} };
    }
  }

  function clear(root) {
    root.querySelectorAll(".is-highlighted").forEach((el) => el.classList.remove("is-highlighted"));
    const svg = svgIn(root);
    if (svg) svg.classList.remove("has-highlight");
    const detail = root.querySelector("#map-detail");
    if (detail) detail.textContent = "";
  }

  function mark(root, pathIds) {
    const wanted = new Set(pathIds);
    root.querySelectorAll("svg.network-map [data-paths]").forEach((el) => {
      if (el.dataset.paths.split(" ").some((id) => wanted.has(id))) {
        el.classList.add("is-highlighted");
      }
    });
    root.querySelectorAll(".map-path[data-path]").forEach((el) => {
      if (wanted.has(el.dataset.path)) el.classList.add("is-highlighted");
    });
    const svg = svgIn(root);
    if (svg && wanted.size) svg.classList.add("has-highlight");
  }

  function remember(pathId) {
    const url = new URL(window.location.href);
    if (pathId) url.searchParams.set("path", pathId);
    else url.searchParams.delete("path");
    window.history.replaceState(window.history.state, "", url);
  }

  function highlightPath(root, pathId) {
    clear(root);
    const info = data(root).paths[pathId];
    if (!info) return;
    mark(root, [pathId]);
    const detail = root.querySelector("#map-detail");
    if (detail) detail.textContent = `${info.organization} · warmth ${info.score}: ${info.explanation}`;
    remember(pathId);
  }

  function highlightNode(root, nodeId) {
    clear(root);
    const node = root.querySelector(`[data-node="${CSS.escape(nodeId)}"]`);
    const info = data(root).nodes[nodeId] || {};
    const paths = node && node.dataset.paths ? node.dataset.paths.split(" ").filter(Boolean) : [];
    mark(root, paths);
    node.classList.add("is-highlighted");
    const svg = svgIn(root);
    if (svg) svg.classList.add("has-highlight");
    const detail = root.querySelector("#map-detail");
    if (detail) {
      const count = paths.length;
      detail.textContent = `${info.label || ""}: on ${count} path${count === 1 ? "" : "s"}.`;
    }
    remember("");
  }

  // Zoom and pan by changing the viewBox.
  function box(svg) {
    return svg.getAttribute("viewBox").split(/\s+/).map(Number);
  }

  function setBox(svg, values) {
    svg.setAttribute("viewBox", values.map((v) => v.toFixed(1)).join(" "));
  }

  function zoom(svg, factor, cx, cy) {
    const [x, y, w, h] = box(svg);
    const px = cx === undefined ? x + w / 2 : cx;
    const py = cy === undefined ? y + h / 2 : cy;
    const nw = Math.min(Math.max(w * factor, 80), 40000);
    const nh = (h * nw) / w;
    setBox(svg, [px - ((px - x) * nw) / w, py - ((py - y) * nh) / h, nw, nh]);
  }

  function pointIn(svg, event) {
    const rect = svg.getBoundingClientRect();
    const [x, y, w, h] = box(svg);
    const scale = Math.max(w / rect.width, h / rect.height);
    const offsetX = (rect.width * scale - w) / 2;
    const offsetY = (rect.height * scale - h) / 2;
    return [x - offsetX + (event.clientX - rect.left) * scale, y - offsetY + (event.clientY - rect.top) * scale, scale];
  }

  function setUp() {
    const root = area();
    const svg = svgIn(root);
    if (!root || !svg || svg.dataset.ready) return;
    svg.dataset.ready = "1";
    root.querySelectorAll(".map-tools").forEach((el) => { el.hidden = false; });
    svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      const [px, py] = pointIn(svg, event);
      zoom(svg, event.deltaY > 0 ? 1.15 : 1 / 1.15, px, py);
    }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", (event) => {
      if (event.target.closest("[data-node]")) return;
      drag = { x: event.clientX, y: event.clientY, box: box(svg), scale: pointIn(svg, event)[2] };
      svg.setPointerCapture(event.pointerId);
      svg.classList.add("is-dragging");
    });
    svg.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const [x, y, w, h] = drag.box;
      setBox(svg, [x - (event.clientX - drag.x) * drag.scale, y - (event.clientY - drag.y) * drag.scale, w, h]);
    });
    const stop = () => { drag = null; svg.classList.remove("is-dragging"); };
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
  }

  document.addEventListener("click", (event) => {
    const root = area();
    if (!root || !root.contains(event.target)) return;
    const link = event.target.closest("[data-highlight]");
    if (link) {
      event.preventDefault();
      highlightPath(root, link.dataset.highlight);
      return;
    }
    const node = event.target.closest("svg.network-map [data-node]");
    if (node) {
      if (node.classList.contains("is-highlighted") && node.closest("svg").classList.contains("has-highlight")) {
        const info = data(root).nodes[node.dataset.node];
        if (info && info.url) window.location.assign(info.url);
        return;
      }
      highlightNode(root, node.dataset.node);
      return;
    }
    const tool = event.target.closest("[data-map-zoom]");
    const svg = svgIn(root);
    if (tool && svg) {
      const kind = tool.dataset.mapZoom;
      if (kind === "reset") svg.setAttribute("viewBox", svg.dataset.viewBox);
      else zoom(svg, kind === "in" ? 1 / 1.3 : 1.3);
      return;
    }
    if (event.target.closest("[data-map-clear]")) {
      clear(root);
      remember("");
    }
  });

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", setUp);
})();
