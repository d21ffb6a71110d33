/**
 * Masks credentials in text that may echo a request: provider and proxy error messages often quote the
 * Authorization header or the key itself ("Incorrect API key provided: Bearer sk-…"). Such text goes to logs,
 * database rows and Telegram, so every one of those paths masks it here: the known secrets of this installation,
 * and anything shaped like a credential whatever its source.
 */
const CREDENTIAL_SHAPES: [RegExp, string][] = [
  // Authorization: Bearer <token> / Basic <base64>
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, '$1 ***'],
  // OpenAI-style keys: sk-…, sk-proj-…, and the same shape used by many OpenAI-compatible servers.
  [/\b(sk|pk|rk)-[A-Za-z0-9_-]{6,}/g, '$1-***'],
  // key=value in URLs and bodies (signature, api_key, token, secret, password)
  [/\b(signature|api[_-]?key|apikey|access[_-]?token|token|secret|password)(["']?\s*[=:]\s*["']?)[^&\s"',}]+/gi, '$1$2***'],
];

export function maskSecrets(text: string, known: readonly (string | undefined)[] = []): string {
  let clean = text;
  for (const secret of known) {
    if (secret && secret.length >= 4) clean = clean.split(secret).join('***');
  }
  for (const [shape, replacement] of CREDENTIAL_SHAPES) clean = clean.replace(shape, replacement);
  return clean;
}
