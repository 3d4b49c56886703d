/**
 * Text <-> URL-safe text: deflate (the platform's CompressionStream, in every current browser
 * and in Node 18+) and base64url, so a whole experiment fits in a link of a few hundred
 * characters.
 */

const toBase64Url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromBase64Url = (text: string): Uint8Array => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it has characters base64url does not use');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
};

async function pipe(bytes: Uint8Array, stream: GenericTransformStream): Promise<Uint8Array> {
  const piped = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

export async function compressToUrl(text: string): Promise<string> {
  return toBase64Url(
    await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')),
  );
}

/** Throws (an Error saying why) for text that is not what compressToUrl makes. */
export async function decompressFromUrl(text: string): Promise<string> {
  const bytes = fromBase64Url(text);
  const inflated = await pipe(bytes, new DecompressionStream('deflate-raw'));
  return new TextDecoder('utf-8', { fatal: true }).decode(inflated);
}
