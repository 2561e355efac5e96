// Types of move-major-tag.js for the tests that import it (the script is plain JavaScript).
export function majorTagMove(released: string, releaseTags: readonly string[]): { move: string } | { skip: string };
