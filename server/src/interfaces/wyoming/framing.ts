// The Wyoming wire format: one JSON header line per event (`type`, optional `data`, and the
// lengths of what follows), then `data_length` bytes of JSON merged into `data`, then
// `payload_length` bytes of payload. The decoder is fed raw socket chunks and returns whole
// events; every way a peer can break the format is a WyomingFrameError, never a throw from
// JSON.parse inside a socket handler. Sizes are bounded because the peer chooses them: a header
// line or a length beyond the limit ends the connection before anything is buffered for it.

export interface WyomingEvent {
  type: string;
  data: Record<string, unknown>;
  payload?: Buffer;
}

export interface FrameLimits {
  /** Longest header line, in bytes (without the newline). */
  maxLineBytes: number;
  /** Largest `data_length`. */
  maxDataBytes: number;
  /** Largest `payload_length` (Wactorz reads text only; payloads are skipped, never used). */
  maxPayloadBytes: number;
}

export const DEFAULT_FRAME_LIMITS: FrameLimits = { maxLineBytes: 64 * 1024, maxDataBytes: 64 * 1024, maxPayloadBytes: 256 * 1024 };

/** Written into each header; informational (readers of every 1.x version ignore it). */
export const WYOMING_VERSION = '1.7.1';

export class WyomingFrameError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new WyomingFrameError('malformed', `${what} is not JSON`);
  }
}

function length(header: Record<string, unknown>, key: string, max: number): number {
  const v = header[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new WyomingFrameError('malformed', `${key} is not a non-negative integer`);
  if (v > max) throw new WyomingFrameError('too-large', `${key} ${v} is over the limit of ${max} bytes`);
  return v;
}

interface Pending {
  type: string;
  data: Record<string, unknown>;
  dataLength: number;
  payloadLength: number;
}

/** Incremental decoder: push() socket chunks, get the events they complete. */
export class WyomingDecoder {
  readonly #limits: FrameLimits;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: Pending | undefined;

  constructor(limits: FrameLimits = DEFAULT_FRAME_LIMITS) {
    this.#limits = limits;
  }

  /** Throws WyomingFrameError on the first malformed or oversized frame; the caller closes. */
  push(chunk: Buffer): WyomingEvent[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const events: WyomingEvent[] = [];
    for (;;) {
      if (!this.#pending) {
        const nl = this.#buffer.indexOf(0x0a);
        if (nl < 0) {
          if (this.#buffer.length > this.#limits.maxLineBytes) throw new WyomingFrameError('too-large', `header line over ${this.#limits.maxLineBytes} bytes`);
          return events;
        }
        if (nl > this.#limits.maxLineBytes) throw new WyomingFrameError('too-large', `header line over ${this.#limits.maxLineBytes} bytes`);
        const line = this.#buffer.subarray(0, nl).toString('utf8').trim();
        this.#buffer = this.#buffer.subarray(nl + 1);
        if (line === '') continue;
        this.#pending = this.#header(line);
      }
      const p = this.#pending;
      if (this.#buffer.length < p.dataLength + p.payloadLength) return events;
      const data = { ...p.data };
      if (p.dataLength > 0) {
        const extra = parseJson(this.#buffer.subarray(0, p.dataLength).toString('utf8'), 'data');
        if (!isObject(extra)) throw new WyomingFrameError('malformed', 'data is not a JSON object');
        Object.assign(data, extra);
      }
      const payload = p.payloadLength > 0 ? Buffer.from(this.#buffer.subarray(p.dataLength, p.dataLength + p.payloadLength)) : undefined;
      this.#buffer = this.#buffer.subarray(p.dataLength + p.payloadLength);
      this.#pending = undefined;
      events.push(payload ? { type: p.type, data, payload } : { type: p.type, data });
    }
  }

  #header(line: string): Pending {
    const header = parseJson(line, 'header line');
    if (!isObject(header)) throw new WyomingFrameError('malformed', 'header line is not a JSON object');
    const { type } = header;
    if (typeof type !== 'string' || type === '' || type.length > 100) throw new WyomingFrameError('malformed', 'header has no event type');
    const data = header.data ?? {};
    if (!isObject(data)) throw new WyomingFrameError('malformed', 'data is not a JSON object');
    return { type, data, dataLength: length(header, 'data_length', this.#limits.maxDataBytes), payloadLength: length(header, 'payload_length', this.#limits.maxPayloadBytes) };
  }
}

/** One event as bytes: the header line, then data as its own JSON block (as the reference does). */
export function encodeEvent(type: string, data?: Record<string, unknown>, payload?: Buffer): Buffer {
  const header: Record<string, unknown> = { type, version: WYOMING_VERSION };
  const dataBytes = data && Object.keys(data).length > 0 ? Buffer.from(JSON.stringify(data), 'utf8') : undefined;
  if (dataBytes) header.data_length = dataBytes.length;
  if (payload && payload.length > 0) header.payload_length = payload.length;
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...(dataBytes ? [dataBytes] : []), ...(payload && payload.length > 0 ? [payload] : [])]);
}
