import { DEFAULT_CONFIDENCE, DEFAULT_WINDOW, MAX_WINDOW, type ToolRole } from '../../core/rules/rule-ast.js';
import type { BodyKeyword, ExpectationWord, HeaderKeyword } from '../../core/rules/rule-keywords.js';

// Hover help for every word of the language. The records are keyed by the keyword types of
// core's rule-keywords.ts, so a keyword added there does not compile until it has its help here.

/** Help on a header's first word. */
export const HEADER_HELP: Record<HeaderKeyword, string> = {
  tool: [
    '**tool TARGET** starts a rule that predicts a call of the tool TARGET, with its arguments.',
    'TARGET is a tool name or `role:ROLE`. The indented lines below it are the rule\'s body: `when` patterns whose named groups `(?<name>…)` become the arguments, and `with`, `confidence`, `window` and `test` lines.',
    '```sniff\ntool get_forecast\n  when /forecast for (?<city>[A-Z]\\w+)/\n```',
  ].join('\n\n'),
  warm: [
    '**warm TARGET** starts a rule that predicts only that the tool will be used, not how: a match lets Foresight warm it up (start a sandbox, open a connection). It extracts no arguments.',
    '```sniff\nwarm role:code-runner\n  when /\\blet me (?:run|execute) (?:some |the )?code\\b/i\n```',
  ].join('\n\n'),
  test: [
    '**test TARGET** starts a block of test cases for the rule of that target in this file (its `tool` rule, else its `warm` rule), one a line:  `"TEXT" => EXPECTED`.',
    '```sniff\ntest get_forecast\n  "I need the forecast for Oslo." => { "city": "Oslo" }\n```',
  ].join('\n\n'),
};

/** Help on a body line's first word. */
export const BODY_HELP: Record<BodyKeyword, string> = {
  when: [
    '**when /PATTERN/FLAGS [confidence N]** adds a pattern; any one matching fires the rule. A rule needs at least one.',
    'Each named group `(?<name>…)` captures the argument of that name, so name groups after the tool\'s parameters. A trailing `confidence N` overrides the rule\'s confidence for this pattern.',
  ].join('\n\n'),
  with: [
    '**with NAME = VALUE** fixes an argument every call the rule predicts carries. VALUE is JSON: `"text"`, `7`, `true`, `null`, `["a", "b"]`. It wins over a capture of the same name.',
    '```sniff\n  with units = "metric"\n```',
  ].join('\n\n'),
  confidence: `**confidence N** is the rule's prior, from 0 to 1 (default ${DEFAULT_CONFIDENCE}): how likely a match is to be followed by exactly the predicted call. Foresight calibrates it against the rule's measured hit rate and speculates only where the expected saving outweighs the cost. After a pattern, it applies to that pattern alone.`,
  window: `**window N** is the longest text, in characters, a pattern may match (default ${DEFAULT_WINDOW}, at most ${MAX_WINDOW}). The sniffer looks back only this far, so a longer match is never seen, and a test whose match is longer fails.`,
  test: [
    '**test "TEXT" => EXPECTED** is an inline test, run as you type, by the Test Explorer and by `foresight test`. EXPECTED is the arguments as a JSON object, `none` (no pattern matches) or, for a warm rule, `warm`.',
    'The text runs from the first `"` to the last `"` before ` => `, verbatim: quotes inside need no escaping.',
  ].join('\n\n'),
};

/** Help on what a test expects, after `=>`. */
export const EXPECTATION_HELP: Record<ExpectationWord, string> = {
  none: '**none**: the test passes when no pattern of the rule matches the text.',
  warm: '**warm**: the test passes when the warm rule matches the text (a warm rule extracts no arguments).',
};

/** Help on the arrow of a test line. */
export const ARROW_HELP = '**=>** separates the test text from what the test expects: a JSON object of arguments, `none` or `warm`. It needs a blank before it.';

/** Help on `role:` in a target. */
export const ROLE_PREFIX_HELP = '**role:ROLE** targets whichever offered tool plays the role in the request, judged from its name, description and parameters, so one rule serves tools of any name.';

/** What each role stands for. */
export const ROLE_HELP: Record<ToolRole, string> = {
  'code-runner': '**role:code-runner**: the offered tool that runs code or shell commands.',
  'file-reader': '**role:file-reader**: the offered tool that reads files.',
  searcher: '**role:searcher**: the offered tool that searches (the web, a code base, documents).',
  fetcher: '**role:fetcher**: the offered tool that fetches a URL.',
};

/** What each allowed regex flag does. */
export const FLAG_NAMES: Record<string, string> = { i: 'ignore case', m: '^ and $ match at line breaks', s: '. matches line breaks too', u: 'Unicode mode' };

/** Help on JSON's constants in `with` values and expected arguments. */
export const JSON_CONSTANT_HELP: Record<'true' | 'false' | 'null', string> = {
  true: '**true**: the JSON boolean. Against a boolean parameter a captured "true" (any case) is typed as this.',
  false: '**false**: the JSON boolean. Against a boolean parameter a captured "false" (any case) is typed as this.',
  null: '**null**: the JSON null value.',
};
