/** V12: a record supersedes the same person's record at the same venue from the 30 minutes before it. */
export const SUPERSEDE_WINDOW_MS = 30 * 60 * 1000;
