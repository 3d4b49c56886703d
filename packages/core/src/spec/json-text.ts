import { GradlabError, type GradlabErrorCode } from '../errors.js';

/**
 * JSON text of a spec or sweep file. Editors on Windows save UTF-8 with a byte-order mark, which
 * JSON.parse rejects as an unexpected token: a leading one is dropped.
 */
export function parseJsonText(
  text: string,
  source: string,
  code: GradlabErrorCode,
  whatItIs: string,
): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new GradlabError(
      code,
      `${source} is not valid JSON (${(e as Error).message}). ${whatItIs}`,
    );
  }
}
