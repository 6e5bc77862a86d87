// streamsearch ships no types; this is the part of its API the multipart reader uses.
declare module 'streamsearch' {
  /** Streaming Boyer-Moore-Horspool search for `needle`. */
  export default class StreamSearch {
    constructor(
      needle: Buffer | string,
      /** Called with non-matching data (`data[start..end)`, a reused buffer unless `isDataSafe`) and/or a match. */
      callback: (isMatch: boolean, data: Buffer | undefined, start: number, end: number, isDataSafe: boolean) => void,
    );
    /** Feeds a chunk. */
    push(chunk: Buffer): number;
    /** Flushes the bytes held back as a possible partial match, then resets. */
    destroy(): void;
  }
}
