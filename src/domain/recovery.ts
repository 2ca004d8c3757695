/**
 * Whether a reader at position `after` can be caught up from the log, or must reload the story.
 * The log can fall short three ways: trimmed past the reader, lost with Redis (the reader is
 * ahead of lastSeq, or the log is empty while lastSeq is not), or simply too far behind to be
 * worth replaying event by event.
 */
export interface LogBounds {
  lastSeq: number;
  /** Oldest seq still in the log, 0 when it is empty. */
  firstSeq: number;
}

export function mustReload(after: number, log: LogBounds, replayMaxEvents: number): boolean {
  if (after > log.lastSeq) return true;
  if (after === log.lastSeq) return false;
  if (log.firstSeq === 0 || after < log.firstSeq - 1) return true;
  return log.lastSeq - after > replayMaxEvents;
}
