// WCAG contrast of text as a webview really paints it, measured inside the page: the text's
// computed colour over the first opaque background behind it, with translucent layers and
// `opacity` folded in. Passed to frame.evaluate, so everything it needs is inside the function.

/**
 * For each [label, selector]: the lowest contrast ratio among the visible elements under
 * `selector` (the element included) that hold text of their own, with that element's text and
 * colours, or `count: 0` when nothing matched. Runs in the page.
 */
export function measureContrast(targets) {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  document.body.append(probe);
  // Any CSS colour (rgb(), color(srgb …), a name, color-mix) to [r, g, b, a] in 0..1, via the engine.
  const rgba = (css) => {
    probe.style.color = '';
    probe.style.color = css;
    const c = getComputedStyle(probe).color;
    let m = /^rgba?\(([^)]+)\)$/.exec(c);
    if (m) {
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0] / 255, p[1] / 255, p[2] / 255, p[3] ?? 1];
    }
    m = /^color\(srgb ([^)]+)\)$/.exec(c);
    if (m) {
      const p = m[1].split(/[ /]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p[3] ?? 1];
    }
    return undefined;
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  // The page's own ground: VS Code paints the webview's host behind a transparent body.
  const ground = rgba(getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim() || 'white') ?? [1, 1, 1, 1];
  const backgroundBehind = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let bg = ground;
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  };
  const opacityOf = (el) => {
    let o = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) o *= Number(getComputedStyle(node).opacity);
    return o;
  };
  const ownText = (el) => [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
  const results = [];
  for (const [label, selector] of targets) {
    let worst;
    let count = 0;
    for (const root of document.querySelectorAll(selector)) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const text = ownText(el);
        if (!text || el.getClientRects().length === 0) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden') continue;
        const bg = backgroundBehind(el);
        const fg = rgba(style.color);
        if (!fg) continue;
        const painted = over([fg[0], fg[1], fg[2], fg[3] * opacityOf(el)], bg);
        const r = ratio(painted, bg);
        count++;
        if (!worst || r < worst.ratio) worst = { ratio: Math.round(r * 100) / 100, text: text.slice(0, 40), color: style.color, background: `rgb(${bg.slice(0, 3).map((v) => Math.round(v * 255)).join(', ')})`, className: String(el.className) };
      }
    }
    results.push({ label, count, ...(worst ?? {}) });
  }
  probe.remove();
  return results;
}

/**
 * The body's computed foreground and background, the values of the theme variables they should
 * come from, and the theme kind class VS Code puts on a webview's body. Runs in the page.
 */
export function themeColours([fgVar, bgVar]) {
  const probe = document.createElement('span');
  document.body.append(probe);
  const resolve = (prop, variable) => {
    probe.style[prop] = `var(${variable})`;
    const v = getComputedStyle(probe)[prop];
    probe.style[prop] = '';
    return v;
  };
  const body = getComputedStyle(document.body);
  const out = {
    color: body.color,
    background: body.backgroundColor,
    themeColor: resolve('color', fgVar),
    themeBackground: resolve('backgroundColor', bgVar),
    kind: ['vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light'].filter((c) => document.body.classList.contains(c)),
  };
  probe.remove();
  return out;
}
