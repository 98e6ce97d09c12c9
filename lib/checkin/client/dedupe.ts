/**
 * Ignores a code seen again within `windowMs` of its last sighting (a code held in view is sighted many
 * times a second; two people alternating in front of the camera are both remembered), and takes a
 * code not seen recently at once.
 */
export function createCodeDeduper(windowMs = 5000) {
  const lastSeen = new Map<string, number>();
  return {
    accept(text: string, now = Date.now()): boolean {
      for (const [code, at] of lastSeen) if (now - at >= windowMs) lastSeen.delete(code);
      const repeat = lastSeen.has(text);
      lastSeen.set(text, now);
      return !repeat;
    },
  };
}
