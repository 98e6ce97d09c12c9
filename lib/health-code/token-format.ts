/** Every health-code QR this system issues starts so (the signature is checked on the server). */
export const TOKEN_PREFIX = 'YKM1.';
export const MAX_TOKEN_LENGTH = 200;

/** Whether scanned text can be one of our codes at all: a menu QR or a payment code is refused at once. */
export function looksLikeCodeToken(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.startsWith(TOKEN_PREFIX) && trimmed.length <= MAX_TOKEN_LENGTH;
}
