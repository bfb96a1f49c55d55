import { InputError, InputTooLargeError } from '../core/errors.js';

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

/** Reads a stream to bytes, stopping with InputTooLargeError past `maxBytes`. */
export async function readStream(stream: NodeJS.ReadableStream, maxBytes = DEFAULT_MAX_BYTES, name = 'standard input'): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buf.length;
      if (size > maxBytes) throw new InputTooLargeError(`${name}: larger than ${maxBytes} bytes (see --max-size)`);
      chunks.push(buf);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${name}: cannot read (${(e as Error).message})`);
  }
  return Buffer.concat(chunks);
}
