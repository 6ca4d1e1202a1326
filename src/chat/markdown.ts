import createDOMPurify from 'dompurify';
import { Lexer, Marked } from 'marked';

const OPTIONS = { gfm: true, breaks: true, async: false } as const;
const marked = new Marked(OPTIONS);

// Model output may carry markup or script; it is rendered from Markdown and sanitised, and
// nothing in it may make the browser fetch: an image or frame pointing elsewhere would leak
// the visit in its URL.
const FORBID_TAGS = ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'style', 'link', 'meta', 'base', 'svg', 'math'];
const FORBID_ATTR = ['style', 'src', 'srcset', 'action', 'formaction', 'background', 'poster', 'ping'];

export interface MarkdownOptions {
  /**
   * `open` (default): links keep their `href` and open in a new tab without a referrer.
   * `confirm`: links lose their `href` and carry the address in `data-url` instead, so
   * nothing (click, middle click, drag, the context menu) leaves the page until the app has
   * asked; `<slm-chat>` renders this way.
   */
  links?: 'open' | 'confirm';
}

/**
 * A DOMPurify of our own: the default export is the page's shared instance, and hooks or
 * settings added to it would change how the host app sanitises its own content.
 */
let purifier: ReturnType<typeof createDOMPurify> | null = null;
let linkMode: MarkdownOptions['links'] = 'open';

function sanitiser(): ReturnType<typeof createDOMPurify> {
  if (purifier) return purifier;
  const instance = createDOMPurify(window);
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') showLink(node);
  });
  purifier = instance;
  return instance;
}

/**
 * A model-written link shows its whole address, so a reader sees where it goes (and what it
 * carries in its query string) whatever its text says.
 */
function showLink(node: Element): void {
  const href = node.getAttribute('href') ?? '';
  // Only ordinary web links stay links; javascript:, data: and the like were removed by
  // DOMPurify already, relative ones would resolve against the app.
  if (!/^https?:\/\//i.test(href)) {
    node.removeAttribute('href');
    return;
  }
  const url = new URL(href).href;
  const text = node.textContent?.trim() ?? '';
  if (text !== url && text !== href) {
    const shown = node.ownerDocument.createElement('span');
    shown.className = 'link-url';
    shown.textContent = ` (${url})`;
    node.append(shown);
  }
  if (linkMode === 'confirm') {
    node.removeAttribute('href');
    node.setAttribute('data-url', url);
    node.setAttribute('role', 'link');
    node.setAttribute('part', 'link');
    node.setAttribute('tabindex', '0');
    node.setAttribute('title', url);
    return;
  }
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer nofollow');
  node.setAttribute('referrerpolicy', 'no-referrer');
}

/** Markdown to HTML that is safe to insert: sanitised by a private DOMPurify, links showing their address. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): string {
  const html = marked.parse(markdown) as string;
  linkMode = options.links ?? 'open';
  try {
    return sanitiser().sanitize(html, { FORBID_TAGS, FORBID_ATTR, ALLOW_DATA_ATTR: false });
  } finally {
    linkMode = 'open';
  }
}

/**
 * The top-level blocks of a Markdown text (paragraphs, lists, headings, code, tables), as
 * their source. Rendering a growing answer block by block leaves its finished blocks alone:
 * only the last one changes as tokens arrive, instead of the whole answer each time.
 */
export function markdownBlocks(markdown: string): string[] {
  // Block level only: inline parsing is what `renderMarkdown` does per block.
  const tokens = new Lexer(OPTIONS).blockTokens(markdown.replace(/\r\n?/g, '\n'), []);
  const blocks: string[] = [];
  for (const token of tokens) {
    // Blank lines between blocks belong to the block before them.
    if (token.type === 'space' && blocks.length) blocks[blocks.length - 1] += token.raw;
    else blocks.push(token.raw);
  }
  return blocks;
}
