import { closeSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { CanonicalEvent } from '../../contracts/canonical-event';

/**
 * The bytes of one record in a segment file: `u32 length | u32 crc32(payload) | payload`, big-endian,
 * payload = UTF-8 JSON `{"s":sequence,"k":partitionKey,"t":appendedAtMs,"e":event}`. The CRC and the
 * sequence number (which must be larger than the previous frame's) detect a torn or garbled tail.
 */
export interface FramePayload {
  readonly s: number;
  readonly k: string;
  readonly t: number;
  readonly e: CanonicalEvent;
}

export const FRAME_HEADER_BYTES = 8;
/** Anything longer is garbage (a record is at most 1 MiB; JSON escaping can grow it). */
export const MAX_FRAME_PAYLOAD_BYTES = 8 * 1024 * 1024;

const SEGMENT_NAME = /^(\d{20})\.seg$/;

/** `00000000000000000042.seg`: a segment is named by the sequence number of its first record. */
export function segmentFileName(baseSequence: number): string {
  return `${String(baseSequence).padStart(20, '0')}.seg`;
}

/** The base sequence number of a segment file name, or `undefined` when it is not one. */
export function parseSegmentFileName(name: string): number | undefined {
  const m = SEGMENT_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Encodes one record as a frame; `eventJson` is the event already serialized. */
export function encodeFrame(
  sequence: number,
  partitionKey: string,
  appendedAtMs: number,
  eventJson: string,
): Buffer {
  const text = `{"s":${sequence},"k":${JSON.stringify(partitionKey)},"t":${appendedAtMs},"e":${eventJson}}`;
  const length = Buffer.byteLength(text, 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.write(text, FRAME_HEADER_BYTES, 'utf8');
  frame.writeUInt32BE(length, 0);
  frame.writeUInt32BE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
  return frame;
}

/** Why decoding stopped: at the end of the bytes, in the middle of a frame, or at a bad frame. */
export type DecodeStop = 'end' | 'partial' | 'corrupt';

/**
 * Decodes the frames of `buf[from, to)` in order, calling `onFrame` with each payload and its byte
 * range; stops at the first incomplete or bad one. `minSequence`: a frame whose sequence number is
 * below it is bad (sequence numbers only grow within a shard). Returns where decoding stopped.
 */
export function decodeFrames(
  buf: Buffer,
  from: number,
  to: number,
  minSequence: number,
  onFrame: (payload: FramePayload, start: number, end: number) => boolean | undefined,
): { offset: number; stop: DecodeStop } {
  let offset = from;
  let min = minSequence;
  while (offset < to) {
    if (to - offset < FRAME_HEADER_BYTES) return { offset, stop: 'partial' };
    const length = buf.readUInt32BE(offset);
    if (length === 0 || length > MAX_FRAME_PAYLOAD_BYTES) return { offset, stop: 'corrupt' };
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > to) return { offset, stop: 'partial' };
    const body = buf.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(body) !== buf.readUInt32BE(offset + 4)) return { offset, stop: 'corrupt' };
    let payload: FramePayload;
    try {
      payload = JSON.parse(body.toString('utf8')) as FramePayload;
    } catch {
      return { offset, stop: 'corrupt' };
    }
    if (!Number.isSafeInteger(payload.s) || payload.s < min) return { offset, stop: 'corrupt' };
    min = payload.s + 1;
    const more = onFrame(payload, offset, end);
    offset = end;
    if (more === false) return { offset, stop: 'end' };
  }
  return { offset, stop: 'end' };
}

/** What {@link scanSegmentFile} found: the valid prefix and its last sequence number. */
export interface SegmentScan {
  readonly validBytes: number;
  readonly fileBytes: number;
  readonly records: number;
  readonly lastSequence: number | undefined;
}

/**
 * Reads a whole segment file and finds its valid prefix: every frame up to the first torn or bad one.
 * The caller truncates the file to `validBytes` when it is shorter than `fileBytes`.
 */
export function scanSegmentFile(path: string, minSequence: number): SegmentScan {
  const fd = openSync(path, 'r');
  try {
    const chunk = 4 * 1024 * 1024;
    let buf = Buffer.allocUnsafe(chunk);
    let bufStart = 0; // file position of buf[0]
    let bufLen = 0;
    let validBytes = 0;
    let records = 0;
    let lastSequence: number | undefined;
    let min = minSequence;
    for (;;) {
      if (buf.length - bufLen < chunk) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, bufLen + chunk));
        buf.copy(bigger, 0, 0, bufLen);
        buf = bigger;
      }
      const n = readSync(fd, buf, bufLen, buf.length - bufLen, bufStart + bufLen);
      bufLen += n;
      const { offset, stop } = decodeFrames(buf, 0, bufLen, min, (p) => {
        records++;
        lastSequence = p.s;
        min = p.s + 1;
        return true;
      });
      validBytes = bufStart + offset;
      if (stop === 'corrupt' || n === 0)
        return { validBytes, fileBytes: bufStart + bufLen, records, lastSequence };
      // keep the undecoded rest (a partial frame) at the start of the buffer
      buf.copy(buf, 0, offset, bufLen);
      bufStart += offset;
      bufLen -= offset;
    }
  } finally {
    closeSync(fd);
  }
}
