import type { ToolSpec } from '../chat/types.js';
import { roleScore } from '../sniff/tool-roles.js';

/** Words in a tool's name or description that say it reaches beyond this machine. */
const OUTSIDE = /\b(?:web|internet|online|https?|urls?|websites?|browse|browser|fetch(?:es)?|download|api|remote|google|bing|news)\b/i;

/**
 * Whether a tool without annotations looks like it reaches outside (the fetcher role, or a
 * name or description about the web): such a tool is open-world unless its source says
 * otherwise. Errs towards open-world, since that only costs a head start.
 */
export function looksOpenWorld(spec: ToolSpec): boolean {
  if (roleScore(spec, 'fetcher') >= 2) return true;
  const words = `${spec.function.name.replace(/[_-]/g, ' ')} ${spec.function.description ?? ''}`;
  return OUTSIDE.test(words);
}
