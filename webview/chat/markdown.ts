import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, async: false });

/** Links may go to the web or to mail; anything else (`javascript:`, `data:`, `vscode:`) is dropped. */
const SAFE_URI = /^(?:https?:|mailto:|#)/i;

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node instanceof HTMLAnchorElement) {
    node.setAttribute('rel', 'noopener noreferrer');
    node.removeAttribute('target');
  }
});

/**
 * Model output as markdown, sanitised into a fragment: no script, no event handler
 * attributes, no styles or forms, and no link or image source outside http(s) and mailto.
 * Remote images cannot load anyway under the page's CSP. The result holds only inert markup.
 */
export function markdownFragment(text: string): DocumentFragment {
  const html = marked.parse(text) as string;
  return purifier.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
    ALLOWED_URI_REGEXP: SAFE_URI,
  });
}
