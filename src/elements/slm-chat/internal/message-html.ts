import { markdownBlocks, renderMarkdown } from '../../../chat/markdown.js';

interface Rendered {
  content: string;
  /** One HTML string per top-level block while the message streams; one for all once it is done. */
  html: string[];
  /** The blocks' sources, while streaming. */
  sources: string[];
  renders: number;
}

/**
 * Each message's HTML, rendered once per content: a finished message is never parsed or
 * sanitised again, and an answer being written re-renders only its last block as it grows.
 * Parsing every message on every token made a long answer in a long chat take seconds.
 */
export class MessageHtml {
  private readonly rendered = new Map<string, Rendered>();

  constructor(private readonly render: (markdown: string) => string = (markdown) => renderMarkdown(markdown, { links: 'confirm' })) {}

  /**
   * The message's HTML, as pieces to insert in order: the same strings (so Lit leaves their
   * DOM alone) until the content changes, and then only the pieces that changed are new.
   */
  html(id: string, content: string, streaming = false): readonly string[] {
    const entry = this.rendered.get(id);
    if (entry?.content === content && (entry.sources.length > 0) === streaming) return entry.html;
    let renders = entry?.renders ?? 0;
    const render = (markdown: string) => (renders++, this.render(markdown));
    let html: string[];
    let sources: string[] = [];
    if (streaming) {
      sources = blocksOf(content, entry);
      html = sources.map((source, i) => (entry?.sources[i] === source ? entry.html[i] : render(source)));
    } else {
      html = [render(content)];
    }
    this.rendered.set(id, { content, html, sources, renders });
    return html;
  }

  /** How many times Markdown of a message was rendered (whole, or one block): for tests and the benchmark. */
  renders(id: string): number {
    return this.rendered.get(id)?.renders ?? 0;
  }

  /** Forgets messages that left the chat (cleared, another visit). */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.rendered.keys()) if (!ids.has(id)) this.rendered.delete(id);
  }
}

/**
 * The blocks of a streaming answer. Text only grows at its end, and new text changes at most
 * the block it lands in (a paragraph that becomes a table or a heading, a list that goes on),
 * so all but the last two blocks are kept and only the tail is parsed again: lexing the whole
 * answer on every token costs as much as rendering it.
 */
function blocksOf(content: string, before: Rendered | undefined): string[] {
  const stable = before && before.sources.length > 2 && content.startsWith(before.content) ? before.sources.slice(0, -2) : [];
  const prefix = stable.join('');
  // The lexer may normalise what it is given; then its blocks do not spell the text, and all of it is parsed.
  if (!stable.length || !content.startsWith(prefix)) return markdownBlocks(content);
  return [...stable, ...markdownBlocks(content.slice(prefix.length))];
}
