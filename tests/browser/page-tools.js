// In-page helpers for the robustness, a11y and soak tests, installed as window.__t by
// context.addInitScript({ path }) (which runs outside the page's CSP). Plain browser script.
/* eslint-env browser */
(() => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const t = {
    frame,
    async frames(n = 2) {
      for (let i = 0; i < n; i += 1) await frame();
    },
    /** Every <gradlab-*> element in the light DOM. */
    widgets(selector) {
      const all = [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('gradlab-'));
      return selector ? all.filter((el) => el.matches(selector)) : all;
    },
    /** Text under root, shadow roots included, plus input/output values and aria-labels. */
    text(root, { skip = '' } = {}) {
      const parts = [];
      const walk = (r) => {
        const walker = document.createTreeWalker(r, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
        for (let node = walker.currentNode; node; node = walker.nextNode()) {
          if (node.nodeType === Node.TEXT_NODE) {
            if (!(skip && node.parentElement?.closest(skip))) parts.push(node.data);
            continue;
          }
          if (skip && node.matches?.(skip)) continue;
          if (node.shadowRoot) walk(node.shadowRoot);
          if (node.localName === 'input' || node.localName === 'output' || node.localName === 'textarea') {
            if (node.type !== 'file') parts.push(node.value ?? '');
          }
          const label = node.getAttribute?.('aria-label');
          if (label) parts.push(label);
          const valuetext = node.getAttribute?.('aria-valuetext');
          if (valuetext) parts.push(valuetext);
        }
      };
      walk(root);
      return parts.join('\n');
    },
    /** The first "NaN", "Infinity" or "undefined" in the text (with context), or null. */
    badNumber(text) {
      return text.match(/.{0,50}\b(NaN|-?Infinity|undefined|null)\b.{0,50}/)?.[0] ?? null;
    },
    /** A button of a widget whose text matches re. */
    button(el, re) {
      return [...el.shadowRoot.querySelectorAll('button')].find((b) => re.test(b.textContent.trim()));
    },
    /** Wait (frame by frame) until the widget's animation loop has ended. */
    async settle(el, timeout = 20000) {
      const end = performance.now() + timeout;
      await frame();
      while (el.looping && performance.now() < end) await frame();
      await t.frames(2);
      return !el.looping;
    },
    /** Every element in the light DOM and all shadow roots matching selector. */
    deepAll(selector, root = document) {
      const out = [...root.querySelectorAll(selector)];
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...t.deepAll(selector, el.shadowRoot));
      return out;
    },
    /** The focused element, looking into shadow roots. */
    deepActive() {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a;
    },
  };
  window.__t = t;
})();
