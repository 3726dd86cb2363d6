// The words of the `.sniff` language, in one place: the parser reads lines by them, and the
// editor's completion and hover enumerate them, so a new keyword cannot miss its help.

/** Words that start a header at column 0: a rule (`tool`, `warm`) or a test block (`test`). */
export const HEADER_KEYWORDS = ['tool', 'warm', 'test'] as const;

/** Words that start an indented body line of a rule. */
export const BODY_KEYWORDS = ['when', 'with', 'confidence', 'window', 'test'] as const;

/** What a test may expect instead of a JSON object of arguments. */
export const EXPECTATION_WORDS = ['none', 'warm'] as const;

/** Every keyword of the language: headers, body lines, and test expectations (each once). */
export const RULE_KEYWORDS = [...new Set<RuleKeyword>([...HEADER_KEYWORDS, ...BODY_KEYWORDS, ...EXPECTATION_WORDS])];

/** A word that starts a header. */
export type HeaderKeyword = (typeof HEADER_KEYWORDS)[number];

/** A word that starts a body line. */
export type BodyKeyword = (typeof BODY_KEYWORDS)[number];

/** A word a test may expect. */
export type ExpectationWord = (typeof EXPECTATION_WORDS)[number];

/** One of `RULE_KEYWORDS`. */
export type RuleKeyword = HeaderKeyword | BodyKeyword | ExpectationWord;

/** What introduces a role target in a header (`role:code-runner`). */
export const ROLE_PREFIX = 'role:';

/** The arrow between a test's text and what it expects. */
export const TEST_ARROW = '=>';
