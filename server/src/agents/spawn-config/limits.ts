// Bounds on what one spawn block may ask for. They protect the process (a megabyte of code in a
// retained registry row, a poll loop that spins) and are the numbers error messages quote.

/** Longest `code` accepted: plenty for an agent, small enough to store and compile quickly. */
export const MAX_CODE_CHARS = 256 * 1024;
export const MAX_PROMPT_CHARS = 32 * 1024;
export const MAX_DESCRIPTION_CHARS = 2000;
/** A whole <spawn> block larger than this is not parsed at all. */
export const MAX_BLOCK_CHARS = 512 * 1024;

/** poll_interval bounds in seconds: under a second is a busy loop, over a week is a schedule. */
export const MIN_POLL_SECONDS = 1;
export const MAX_POLL_SECONDS = 7 * 24 * 3600;
export const DEFAULT_POLL_SECONDS = 60;

export const MAX_COOLDOWN_SECONDS = 24 * 3600;
/** ha_actuator for_seconds (HA's `for:`): a week of "still open" is already a schedule's job. */
export const MAX_FOR_SECONDS = 7 * 24 * 3600;
export const DEFAULT_COOLDOWN_SECONDS = 10;
export const MAX_INTERVAL_SECONDS = 31 * 24 * 3600;
