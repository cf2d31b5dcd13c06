import { describe, expect, it } from '@jest/globals';
import { createLogRenderer } from '../src/log';

function render(...chunks: string[]) {
  const lines: string[] = [];
  const log = createLogRenderer((line) => lines.push(line), { indent: '| ' });
  const stream = log.stream();
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return lines;
}

describe('an action log, shown as a workflow run shows it', () => {
  it('prints plain lines, groups as headings, annotations with their titles; hides the other commands', () => {
    expect(
      render(
        '::group::Build: npm run build\n',
        'vite building\n',
        '::endgroup::\n',
        '::debug::internal detail\n',
        '::warning::Image is a tag\n',
        '::notice::Deployed\n',
        '::error title=Smoke test failed::frontend: index.html is cached%0Afix the Cache-Control\n',
      ),
    ).toEqual([
      '| ▸ Build: npm run build',
      '| vite building',
      '| Warning: Image is a tag',
      '| Notice: Deployed',
      '| Error: Smoke test failed: frontend: index.html is cached',
      '| Error: fix the Cache-Control',
    ]);
  });

  it('masks every value registered with add-mask, from then on', () => {
    expect(render('token abc123 before\n', '::add-mask::abc123\n', 'token abc123 after, abc123 again\n')).toEqual([
      '| token abc123 before',
      '| token *** after, *** again',
    ]);
  });

  it('masks registered values inside annotations and group titles too', () => {
    expect(render('::add-mask::abc123\n', '::group::Using abc123\n', '::error title=Key abc123::abc123 was refused\n')).toEqual([
      '| ▸ Using ***',
      '| Error: Key ***: *** was refused',
    ]);
  });

  it('joins lines split across chunks, drops the CR of CRLF, and prints an unterminated last line at the end', () => {
    expect(render('Registered note', 'book-ship:2.\r\nDeploy fin', 'ished')).toEqual([
      '| Registered notebook-ship:2.',
      '| Deploy finished',
    ]);
  });

  it('shares masks between the stdout and stderr streams', () => {
    const lines: string[] = [];
    const log = createLogRenderer((line) => lines.push(line));
    log.stream().write('::add-mask::s3cret\n');
    log.stream().write('stderr says s3cret\n');
    expect(lines).toEqual(['  │ stderr says ***']);
    expect(log.mask('s3cret!')).toBe('***!');
  });
});
