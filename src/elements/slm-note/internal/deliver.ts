/**
 * Prints an HTML document from an invisible frame, so the page itself (controls, transcript,
 * chat) is not what ends up on paper. Resolves once the print dialog has been handed the frame.
 */
export async function printHtml(body: string, title: string): Promise<void> {
  const frame = document.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.style.cssText = 'position:fixed;width:0;height:0;border:0;opacity:0;pointer-events:none';
  // sandbox without scripts: the note's text is escaped already, and this keeps it inert twice over.
  frame.setAttribute('sandbox', 'allow-modals allow-same-origin');
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.srcdoc = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title.replace(/</g, '&lt;')}</title><style>body{font:12pt/1.45 system-ui,sans-serif;margin:2cm}h1{font-size:16pt}h2{font-size:13pt;margin-top:1.2em}</style></head><body>${body}</body></html>`;
  document.body.append(frame);
  await loaded;
  try {
    frame.contentWindow?.print();
  } finally {
    // The dialog holds its own copy; the frame can go once print() returns.
    setTimeout(() => frame.remove(), 1000);
  }
}

/** Saves text as a file through the browser's own download, without any server. */
export function downloadText(content: string, fileName: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName, rel: 'noopener' });
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
