// Inline SVG icons, built node by node (no innerHTML). 24×24 grid, drawn with currentColor.

const SVG_NS = "http://www.w3.org/2000/svg";

function svg(children: readonly SVGElement[], filled = false): SVGSVGElement {
  const root = document.createElementNS(SVG_NS, "svg");
  root.setAttribute("viewBox", "0 0 24 24");
  root.setAttribute("width", "24");
  root.setAttribute("height", "24");
  root.setAttribute("aria-hidden", "true");
  root.setAttribute("focusable", "false");
  root.setAttribute("fill", filled ? "currentColor" : "none");
  root.setAttribute("stroke", filled ? "none" : "currentColor");
  root.setAttribute("stroke-width", "2");
  root.setAttribute("stroke-linecap", "round");
  root.setAttribute("stroke-linejoin", "round");
  for (let i = 0; i < children.length; i++) root.append(children[i] as SVGElement);
  return root;
}

function path(d: string): SVGPathElement {
  const node = document.createElementNS(SVG_NS, "path");
  node.setAttribute("d", d);
  return node;
}

/** A speech bubble with a tail at the bottom left. */
export function chatIcon(): SVGSVGElement {
  return svg([path("M20.5 11.5a8.5 8 0 0 1-12.2 7.2L3.5 20l1.4-4.1a8.5 8 0 1 1 15.6-4.4z")]);
}

/** Two arrows pointing out to opposite corners. */
export function expandIcon(): SVGSVGElement {
  return svg([path("M14 4h6v6M20 4l-6 6M10 20H4v-6M4 20l6-6")]);
}

export function closeIcon(): SVGSVGElement {
  return svg([path("M6 6l12 12M18 6L6 18")]);
}

/** An arrow pointing up, the "send" gesture of most chat apps. */
export function sendIcon(): SVGSVGElement {
  return svg([path("M12 19V5M5.5 11.5L12 5l6.5 6.5")]);
}

export function stopIcon(): SVGSVGElement {
  const square = document.createElementNS(SVG_NS, "rect");
  square.setAttribute("x", "7");
  square.setAttribute("y", "7");
  square.setAttribute("width", "10");
  square.setAttribute("height", "10");
  square.setAttribute("rx", "2");
  return svg([square], true);
}

/** A paper clip ("Attach files"). */
export function clipIcon(): SVGSVGElement {
  return svg([
    path(
      "M20 11.5l-7.8 7.8a5 5 0 0 1-7-7L13 4.5a3.3 3.3 0 0 1 4.7 4.7l-7.8 7.8a1.7 1.7 0 0 1-2.4-2.4L14.8 7.3",
    ),
  ]);
}

/** A microphone ("Record audio"). */
export function micIcon(): SVGSVGElement {
  return svg([
    path("M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3"),
  ]);
}

/** A sheet of paper with a folded corner: file chips (media chunk only). */
export function fileIcon(): SVGSVGElement {
  return svg([path("M6 2h8l5 5v15H6zM14 2v5h5")]);
}
