import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: true, async: false });

// Model output may carry markup or script; it is rendered from Markdown and sanitised, and
// nothing in it may make the browser fetch: an image or frame pointing elsewhere would leak
// the visit in its URL.
const FORBID_TAGS = ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'style', 'link', 'meta', 'base', 'svg', 'math'];
const FORBID_ATTR = ['style', 'src', 'srcset', 'action', 'formaction', 'background', 'poster', 'ping'];

let hooked = false;

/** Markdown to HTML that is safe to insert: sanitised by DOMPurify, links opening elsewhere. */
export function renderMarkdown(markdown: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        const href = node.getAttribute('href') ?? '';
        // Only ordinary web links stay links; javascript:, data: and the like were removed by
        // DOMPurify already, relative ones would resolve against the app.
        if (!/^https?:\/\//i.test(href)) node.removeAttribute('href');
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
        node.setAttribute('referrerpolicy', 'no-referrer');
      }
    });
    hooked = true;
  }
  const html = marked.parse(markdown) as string;
  return DOMPurify.sanitize(html, { FORBID_TAGS, FORBID_ATTR, ALLOW_DATA_ATTR: false });
}
