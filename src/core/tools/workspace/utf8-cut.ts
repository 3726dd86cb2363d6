/** The longest prefix of `bytes` of at most `max` bytes that does not end inside a UTF-8 character. */
export function wholeUtf8Prefix(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  // A character is at most 4 bytes: back off over at most 3 continuation bytes.
  while (end > 0 && max - end < 3 && (bytes[end]! & 0xc0) === 0x80) end--;
  if ((bytes[end]! & 0xc0) === 0x80) end = max;
  return bytes.subarray(0, end);
}
