import CRC32C from 'crc-32/crc32c.js';

/**
 * TFRecord framing, the container of TensorBoard event files: per record a little-endian
 * uint64 length, the masked CRC-32C of those 8 bytes, the data, the masked CRC-32C of the data.
 * crc-32 computes the CRC-32C; the masking is TensorFlow's (crc32c.h), done here.
 */
const MASK_DELTA = 0xa282ead8;

/** TensorFlow's masked CRC-32C: rotate right by 15 bits, add a constant (mod 2^32). */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = CRC32C.buf(data, 0) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** One record, framed. */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + 4 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

/**
 * Every record of a TFRecord file, each CRC checked: a reader for tests and for tools that want
 * to check a file before handing it on. Throws on a bad CRC or a truncated record.
 */
export function readRecords(file: Uint8Array): Uint8Array[] {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 12 > buf.length) throw new Error(`truncated record header at byte ${at}`);
    const length = Number(buf.readBigUInt64LE(at));
    if (buf.readUInt32LE(at + 8) !== maskedCrc32c(buf.subarray(at, at + 8))) {
      throw new Error(`bad length CRC at byte ${at}`);
    }
    const start = at + 12;
    if (start + length + 4 > buf.length) throw new Error(`truncated record at byte ${at}`);
    const data = buf.subarray(start, start + length);
    if (buf.readUInt32LE(start + length) !== maskedCrc32c(data)) {
      throw new Error(`bad data CRC at byte ${at}`);
    }
    records.push(data);
    at = start + length + 4;
  }
  return records;
}
