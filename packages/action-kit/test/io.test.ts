import { describe, expect, it } from '@jest/globals';
import { recordingIo } from '../src/testing';

describe('recordingIo', () => {
  it('keeps each kind of line apart, in order', () => {
    const io = recordingIo();
    io.info('one');
    io.warning('careful');
    io.info('two');
    io.debug('detail');
    io.secret('s3cret');
    expect(io.infos).toEqual(['one', 'two']);
    expect(io.warnings).toEqual(['careful']);
    expect(io.debugs).toEqual(['detail']);
    expect(io.secrets).toEqual(['s3cret']);
  });
});
