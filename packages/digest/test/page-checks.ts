/*
 * Code that runs inside the page. Kept as strings because the repo type-checks without the DOM
 * library; adding it to the whole program for one test would hide DOM misuse in server code.
 */

export const SCROLL_WIDTH = 'document.scrollingElement.scrollWidth';

/** The computed display of the footer's unsubscribe link ("missing" when there is none). */
export const UNSUBSCRIBE_DISPLAY = `(() => {
  const link = [...document.querySelectorAll('a[href]')].find((a) => a.textContent.trim() === 'Unsubscribe');
  return link ? getComputedStyle(link).display : 'missing';
})()`;

/**
 * Every visible text node whose colour is too close to the background it sits on (WCAG ratio
 * below 4.5) or whose font is tiny. Hidden nodes (the mj-preview preheader) are skipped.
 */
export const READABILITY_PROBLEMS = `(() => {
  const parse = (value) => {
    const parts = (value.match(/\\(([^)]+)\\)/)?.[1] ?? '0 0 0 0').split(/[\\s,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const canvas = matchMedia('(prefers-color-scheme: dark)').matches ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
  const backgroundOf = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const color = parse(getComputedStyle(e).backgroundColor);
      if (color.a > 0.5) return color;
    }
    return canvas;
  };
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const style = getComputedStyle(element);
    const fg = luminance(parse(style.color));
    const bg = luminance(backgroundOf(element));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const fontSize = parseFloat(style.fontSize);
    if (ratio < 4.5 || fontSize < 12) {
      problems.push(text.slice(0, 40) + ' (contrast ' + ratio.toFixed(2) + ', ' + fontSize + 'px)');
    }
  }
  return problems;
})()`;
