import { formatBytes, formatCount } from "./index";

/** What a JSON text may hold before it is parsed. */
export interface JsonTextLimits {
  fileBytes: number;
  nestingDepth: number;
  arrayLength?: number;
  stringLength?: number;
}

/**
 * One pass over a JSON text before JSON.parse: its size, the nesting of arrays and
 * objects, the entries of each array and the length of each string, each against its
 * limit. The first one beyond its limit is returned as a message naming the line and
 * the limit (null when all are within), so the importer can throw its own typed error
 * without JSON.parse having built a deep or huge value first (a deep value also breaks
 * JSON.stringify when stored). Malformed JSON is left to JSON.parse to describe.
 */
export function scanJsonText(text: string, limits: JsonTextLimits): { message: string; line: number } | null {
  // UTF-16 code units: at least the byte count for ASCII, at most 3 bytes per unit.
  const tooLarge = checkTextBytes(text, limits.fileBytes);
  if (tooLarge) return { message: tooLarge, line: 1 };
  const maxArray = limits.arrayLength ?? Infinity;
  const maxString = limits.stringLength ?? Infinity;
  // Per open container: -1 for an object, else the number of commas seen in the array.
  const stack: number[] = [];
  let line = 1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) return null; // unterminated: JSON.parse says so
        let k = j - 1;
        while (text.charCodeAt(k) === 0x5c /* \ */) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j++;
      }
      if (j - i - 1 > maxString) return { message: `a string of ${formatCount(j - i - 1)} characters; the limit is ${formatCount(maxString)}`, line };
      i = j;
    } else if (c === 0x0a) {
      line++;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      stack.push(c === 0x5b ? 0 : -1);
      if (stack.length > limits.nestingDepth) return { message: `arrays and objects nested more than ${formatCount(limits.nestingDepth)} deep`, line };
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack.length - 1;
      if (top >= 0 && stack[top] >= 0) {
        stack[top]++;
        if (stack[top] + 1 > maxArray) return { message: `an array of more than ${formatCount(maxArray)} entries`, line };
      }
    }
  }
  return null;
}

/** UTF-8 length of a text, bytes (without encoding it). */
function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** "the file is 21 MB; the limit is 20 MB" when a text's UTF-8 form exceeds `limit` bytes, else null. */
export function checkTextBytes(text: string, limit: number): string | null {
  // Each UTF-16 unit is 1 to 3 bytes: only a text in between needs counting.
  if (text.length <= limit / 3) return null;
  const bytes = utf8ByteLength(text);
  return bytes > limit ? `the file is ${formatBytes(bytes)}; the limit is ${formatBytes(limit)}` : null;
}
