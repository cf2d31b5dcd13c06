import { describe, expect, it } from '@jest/globals';
import { builtPathOf, publishedContent, storedPath } from '../src/source-maps';

const text = (buffer: Buffer) => buffer.toString('utf8');

describe('storedPath', () => {
  it('serves maps with the site, keeps them under the release records, or leaves them out', () => {
    expect(storedPath('assets/index-Ab12Cd34.js.map', 'publish')).toBe('assets/index-Ab12Cd34.js.map');
    expect(storedPath('assets/index-Ab12Cd34.js.map', 'private')).toBe('_releases/source-maps/assets/index-Ab12Cd34.js.map');
    expect(storedPath('assets/index-Ab12Cd34.js.map', 'skip')).toBeUndefined();
    expect(storedPath('assets/index-Ab12Cd34.js', 'skip')).toBe('assets/index-Ab12Cd34.js');
  });

  it('is undone by builtPathOf', () => {
    for (const path of ['sw.js.map', 'assets/a-Ab12Cd34.css.map', 'index.html']) {
      expect(builtPathOf(storedPath(path, 'private') as string)).toBe(path);
    }
  });
});

describe('publishedContent', () => {
  const script = Buffer.from('console.log(1);\n//# sourceMappingURL=index-Ab12Cd34.js.map\n');
  const style = Buffer.from('a{color:red}\n/*# sourceMappingURL=index-Ab12Cd34.css.map */');

  it('removes the comments that point at a map unless maps are published', () => {
    expect(text(publishedContent('assets/index-Ab12Cd34.js', script, 'private'))).toBe('console.log(1);\n');
    expect(text(publishedContent('assets/index-Ab12Cd34.css', style, 'skip'))).toBe('a{color:red}\n');
    expect(publishedContent('assets/index-Ab12Cd34.js', script, 'publish')).toBe(script);
  });

  it('removes an inline map and the older //@ spelling too', () => {
    const inline = Buffer.from('f();\r\n//@ sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==\r\nexport{};\n');
    expect(text(publishedContent('chunk.mjs', inline, 'skip'))).toBe('f();\r\nexport{};\n');
  });

  it('leaves code that only mentions the words, and files that are not scripts or style sheets, as they are', () => {
    const code = Buffer.from('const s = "//# sourceMappingURL=" + name;\n');
    expect(publishedContent('assets/a-Ab12Cd34.js', code, 'private')).toBe(code);
    const page = Buffer.from('<p>\n//# sourceMappingURL=x.js.map\n</p>');
    expect(publishedContent('index.html', page, 'private')).toBe(page);
  });
});
