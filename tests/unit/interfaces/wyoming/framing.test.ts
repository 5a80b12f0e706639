// The Wyoming wire format as the `wyoming` package writes it (header line, then data as its own
// JSON block, then the payload), in any chunking, and every way a peer can break it.
import { describe, expect, it } from 'vitest';
import { encodeEvent, WyomingDecoder, WyomingFrameError } from '../../../../server/src/interfaces/wyoming/framing.ts';

const limits = { maxLineBytes: 200, maxDataBytes: 100, maxPayloadBytes: 50 };

function frameError(fn: () => unknown): WyomingFrameError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WyomingFrameError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('Wyoming framing', () => {
  it('reads what the Python package writes: header with data_length, the data block merged into data, a payload', () => {
    const header = '{"type": "transcript", "data": {"language": "en"}, "data_length": 19, "payload_length": 3, "version": "1.7.1"}\n';
    const bytes = Buffer.concat([Buffer.from(header), Buffer.from('{"text": "hello 1"}'), Buffer.from([1, 2, 3])]);
    expect(new WyomingDecoder().push(bytes)).toEqual([{ type: 'transcript', data: { language: 'en', text: 'hello 1' }, payload: Buffer.from([1, 2, 3]) }]);
  });

  it('round-trips its own events, byte by byte and several in one chunk', () => {
    const bytes = Buffer.concat([encodeEvent('describe'), encodeEvent('handled', { text: 'Ünïcode ✓', context: { conversation_id: 'c1' } })]);
    const header = JSON.parse(bytes.subarray(0, bytes.indexOf(0x0a)).toString()) as Record<string, unknown>;
    expect(header).toEqual({ type: 'describe', version: '1.7.1' });
    const d = new WyomingDecoder();
    const out = [...bytes].flatMap((b) => d.push(Buffer.from([b])));
    expect(out).toEqual([{ type: 'describe', data: {} }, { type: 'handled', data: { text: 'Ünïcode ✓', context: { conversation_id: 'c1' } } }]);
    expect(new WyomingDecoder().push(bytes)).toEqual(out);
  });

  it.each([
    ['an HTTP request line', 'POST / HTTP/1.1\r\n', 'malformed', 'header line is not JSON'],
    ['a JSON array', '[1]\n', 'malformed', 'header line is not a JSON object'],
    ['no type', '{"data": {}}\n', 'malformed', 'header has no event type'],
    ['data that is not an object', '{"type": "x", "data": 3}\n', 'malformed', 'data is not a JSON object'],
    ['a negative length', '{"type": "x", "payload_length": -1}\n', 'malformed', 'payload_length is not a non-negative integer'],
    ['an oversized payload', '{"type": "x", "payload_length": 51}\n', 'too-large', 'payload_length 51 is over the limit of 50 bytes'],
    ['an oversized data block', '{"type": "x", "data_length": 101}\n', 'too-large', 'data_length 101 is over the limit of 100 bytes'],
    ['a data block that is not JSON', '{"type": "x", "data_length": 3}\nabc', 'malformed', 'data is not JSON'],
    ['a line with no end', 'x'.repeat(201), 'too-large', 'header line over 200 bytes'],
  ])('refuses %s with a clear error', (_, input, code, message) => {
    const err = frameError(() => new WyomingDecoder(limits).push(Buffer.from(input)));
    expect([err.code, err.message]).toEqual([code, message]);
  });
});
