import { describe, expect, it } from '@jest/globals';
import { assetProblem, codeReferences, insecureUrls, pageReferences, revalidates, styleReferences } from '../src/page';

const page = new URL('https://d111.cloudfront.net/');
const hrefs = (refs: { url: URL; kind: string }[]) => refs.map((ref) => [ref.url.href, ref.kind]);

describe('pageReferences', () => {
  it('finds scripts, module preloads, stylesheets and icons of a Vite page, resolved against the page', () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" href="data:," />
      <link rel="icon" type="image/svg+xml" href="/favicon.svg">
      <link rel="preconnect" href="https://fonts.example.com">
      <script type="module" crossorigin src="/assets/index-DbaxRgfb.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/vendor-1a2b.js">
      <link rel="stylesheet" crossorigin href="/assets/index-DzxB0_zo.css">
      <link rel=preload as=font href=assets/inter.woff2 crossorigin>
      <script>window.inline = true</script>
      <script src='/assets/index-DbaxRgfb.js#again'></script>
    </head></html>`;
    expect(hrefs(pageReferences(html, page))).toEqual([
      ['https://d111.cloudfront.net/favicon.svg', 'other'],
      ['https://d111.cloudfront.net/assets/index-DbaxRgfb.js', 'script'],
      ['https://d111.cloudfront.net/assets/vendor-1a2b.js', 'script'],
      ['https://d111.cloudfront.net/assets/index-DzxB0_zo.css', 'style'],
      ['https://d111.cloudfront.net/assets/inter.woff2', 'other'],
    ]);
  });
});

describe('codeReferences', () => {
  const chunk = new URL('https://d111.cloudfront.net/assets/index-5925DqVY.js');
  it('follows static and dynamic imports, the preload list and workers, in the chunk directory only', () => {
    const code = [
      'import{a as e}from"./index-5925DqVY.js";',
      'lazy:()=>Ka(()=>import(`./notebook-B4Y5ZFk8.js`).then(e=>e),[])',
      'm.f||(m.f=["assets/plotly-chart-VOXVzghg.js","assets/index-DzxB0_zo.css"])',
      'return new Worker(`/assets/editor.worker-CX7Cj20z.js`,{type:`module`})',
      // Path-looking strings outside the build's directory are not files of this site.
      'const sw="/sw.js", docs="../docs/readme.js", vs=`vs/basic-languages/python/python`;',
    ].join('\n');
    expect(hrefs(codeReferences(code, chunk, page))).toEqual([
      ['https://d111.cloudfront.net/assets/index-5925DqVY.js', 'script'],
      ['https://d111.cloudfront.net/assets/notebook-B4Y5ZFk8.js', 'script'],
      ['https://d111.cloudfront.net/assets/plotly-chart-VOXVzghg.js', 'script'],
      ['https://d111.cloudfront.net/assets/index-DzxB0_zo.css', 'style'],
      ['https://d111.cloudfront.net/assets/editor.worker-CX7Cj20z.js', 'script'],
    ]);
  });

  it('resolves the preload list against the site base, which may have a path', () => {
    const base = new URL('https://example.com/app/');
    const code = 'm.f=["assets/a-1.js"]';
    expect(hrefs(codeReferences(code, new URL('https://example.com/app/assets/index-1.js'), base))).toEqual([
      ['https://example.com/app/assets/a-1.js', 'script'],
    ]);
  });
});

describe('styleReferences', () => {
  it('finds fonts and images on the same origin, not data: or other origins', () => {
    const css =
      '@font-face{src:url(/assets/codicon-DF1abBS2.ttf)format("truetype")}.a{background:url("./bg.png")}' +
      '.b{background:url(data:image/png;base64,AAA)}.c{src:url(https://fonts.example.com/x.woff2)}.d{filter:url(#f)}';
    expect(hrefs(styleReferences(css, new URL('https://d111.cloudfront.net/assets/monaco.css')))).toEqual([
      ['https://d111.cloudfront.net/assets/codicon-DF1abBS2.ttf', 'other'],
      ['https://d111.cloudfront.net/assets/bg.png', 'other'],
    ]);
  });
});

describe('assetProblem', () => {
  it('accepts what a browser uses', () => {
    expect(assetProblem('script', 200, 'text/javascript', 10)).toBeUndefined();
    expect(assetProblem('script', 200, 'application/javascript', 10)).toBeUndefined();
    expect(assetProblem('style', 200, 'text/css', 10)).toBeUndefined();
    expect(assetProblem('other', 200, 'font/ttf', 10)).toBeUndefined();
  });

  it('names what a browser refuses', () => {
    expect(assetProblem('script', 404, 'text/plain', 9)).toBe('HTTP 404');
    expect(assetProblem('script', 200, 'text/html', 500)).toMatch(/^text\/html: a page answered instead of the file/);
    expect(assetProblem('script', 200, 'binary/octet-stream', 10)).toBe(
      'Content-Type binary/octet-stream: browsers refuse to run module scripts not served as text/javascript',
    );
    expect(assetProblem('style', 200, '', 10)).toBe('Content-Type missing: browsers ignore stylesheets not served as text/css');
    expect(assetProblem('other', 200, 'font/woff2', 0)).toBe('empty body');
  });
});

describe('revalidates', () => {
  it.each([
    ['no-cache', true],
    ['public, max-age=0, must-revalidate', true],
    ['No-Store', true],
    ['max-age=60', false],
    ['public, max-age=31536000, immutable', false],
    [null, false],
  ])('%s → %s', (header, expected) => {
    expect(revalidates(header)).toBe(expected);
  });
});

describe('insecureUrls', () => {
  const hosts = ['d111.cloudfront.net', 'notebook.example.com'];
  it('finds addresses an app would call over plain http or ws', () => {
    const code = [
      'const api=`http://notebook-1234.us-east-1.elb.amazonaws.com`;',
      'new WebSocket("ws://notebook.example.com/api/ws/notebooks/1")',
      'fetch("http://notebook.example.com/api/notebooks")',
      'fetch("http://10.0.1.23:8000/health"); fetch("http://localhost:8000/api")',
      'const v6="http://[::1]:8000"',
      'fetch("http://notebook-1234.us-east-1.elb.amazonaws.com/api")',
    ].join('\n');
    expect(insecureUrls(code, hosts)).toEqual([
      'http://notebook-1234.us-east-1.elb.amazonaws.com',
      'ws://notebook.example.com',
      'http://notebook.example.com',
      'http://10.0.1.23:8000',
      'http://localhost:8000',
      'http://[::1]:8000',
    ]);
  });

  it('ignores what real bundles hold that is no call: namespaces, links, URL-parsing bases, https/wss', () => {
    // Fragments of the built front end (React Router, Plotly, Monaco).
    const code = [
      'e.createElementNS(`http://www.w3.org/2000/svg`,t)',
      "attribution:`ESRI &copy; <a href='http://www.esri.com'>ESRI</a>`",
      'try upgrading your browser or graphics drivers http://get.webgl.org`',
      'Xt=new URL(`http://localhost`);n=t[1]===`www.`?`http://`+t[0]:t[0]',
      'const secure="https://notebook.example.com", ws="wss://notebook.example.com/api/ws"',
    ].join('\n');
    expect(insecureUrls(code, [...hosts, 'localhost'])).toEqual([]);
  });
});
