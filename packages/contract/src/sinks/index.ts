export { logText } from './log-line.ts';
export { markdownCode, markdownCodeBlock, markdownLink, markdownTableCell, markdownText } from './markdown.ts';
export { shellWord } from './shell-word.ts';
export { codePointEscape, hasInvisible, jsonCharEscape, replaceInvisible, visibleText } from './visible.ts';
