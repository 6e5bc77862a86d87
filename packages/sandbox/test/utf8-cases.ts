// Byte sequences that are not well-formed UTF-8 (Unicode 15, table 3-7), one list per class, shared
// by the strict-input tests and the malformed-request test.

export const MALFORMED_UTF8: Record<string, Buffer[]> = {
  'Latin-1 byte': [Buffer.from([0xe9]), Buffer.from('caf\xe9 cr\xe8me', 'latin1'), Buffer.from([0xa0]), Buffer.from([0xff])],
  'overlong encoding': [Buffer.from([0xc0, 0xaf]), Buffer.from([0xc1, 0xbf]), Buffer.from([0xe0, 0x80, 0xaf]), Buffer.from([0xf0, 0x80, 0x80, 0xaf])],
  'lone continuation byte': [Buffer.from([0x80]), Buffer.from([0xbf]), Buffer.from([0x41, 0x80, 0x42]), Buffer.from([0xc3, 0xa9, 0xa9])],
  'surrogate encoded in UTF-8': [Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xed, 0xbf, 0xbf]), Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80])],
  'code point past U+10FFFF': [Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0xf5, 0x80, 0x80, 0x80]), Buffer.from([0xf7, 0xbf, 0xbf, 0xbf]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])],
  'truncated sequence': [Buffer.from([0xe2, 0x82]), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82, 0x41])],
};

export const UTF8_CLASSES = Object.keys(MALFORMED_UTF8);

/** `text` (UTF-8) with its one `MARK` replaced by the bad bytes. */
export function withMark(text: string, bad: Buffer): Buffer {
  const at = text.indexOf('MARK');
  if (at < 0 || text.indexOf('MARK', at + 1) >= 0) throw new Error('withMark needs exactly one MARK');
  return Buffer.concat([Buffer.from(text.slice(0, at), 'utf8'), bad, Buffer.from(text.slice(at + 4), 'utf8')]);
}
