import type { Intent } from './intent.js';

/** How the reasoning framed a call: ruled out, maybe, already done, or to be done again. */
export type Cue = NonNullable<Intent['cue']>;

/** How far back from an intent's evidence its framing is read, at most. */
const LOOK_BACK = 240;
/** How far past the evidence a result ("…; it returned []") is looked for. */
const LOOK_AHEAD = 120;

// A clause ends at punctuation or at a word that starts a new step ("so", "then", "but"): a
// negation or a past tense before it is about something else.
const CLAUSE_BREAK = /[,;:()\u2014]|\s-\s|\b(?:so|then|but|and then|therefore|thus|hence|now|next|afterwards?|after that|once|because|since)\b/gi;
const SENTENCE_BREAK = /[.!?](?=\s)|\n/g;

const NEGATED = /\b(?:not|never|no need|no point|don'?t|won'?t|shouldn'?t|can'?t|cannot|mustn'?t|wouldn'?t|avoid|skip|instead of|rather than|without|refrain from)\b|n't\b/i;
/** Negation words that only soften ("not sure"): hedges, not refusals. */
const SOFT_NEGATION = /\b(?:not sure|not certain|not yet|not only|or not|if not|not just)\b/gi;
const HEDGED =
  /\b(?:maybe|perhaps|might|may|could|possibly|probably|alternatively|consider(?:ing)?|hypothetically|suppose|supposing|assume|assuming|in case|not sure|not certain|or maybe|what if|for example|for instance|such as|e\.g\.|(?:one|another|an|the other) (?:option|possibility|alternative|idea|approach)|(?:was|were|had been) (?:going|planning|meaning) to|had (?:planned|intended|meant|wanted) to)\b|\bwould(?!\s+be\b)/i;
/** After the evidence, in its sentence: it is said to be needed no more ("…, but that is not needed"). */
const NOT_NEEDED_AFTER = /^[^.!?\n]*?\b(?:but|though|although|however)\b[^.!?\n]*?\b(?:not (?:needed|necessary|required|useful|helpful|worth it)|unnecessary|no need|pointless|no longer (?:needed|necessary|required))\b/i;
/** A maybe right after the evidence: "searching for X might help". */
const HEDGED_AFTER = /^[)\]"'`]?\s*(?:\w+\s+){0,2}?(?:might|could|may|would)\b/i;
/** A condition anywhere earlier in the sentence makes the call conditional. */
const CONDITIONAL = /\b(?:if|unless|whether|in case|otherwise|should (?:it|that|this|the \w+) (?:fail|not))\b/i;
const DONE_VERB = String.raw`(?:called|searched|looked|used|ran|tried|checked|fetched|queried|submitted|executed|did|made|got|obtained|retrieved|sent|performed|invoked|issued|entered|typed|started|opened|requested|attempted|run|read|viewed|inspected|examined|reviewed|loaded|listed|visited|browsed|navigated|downloaded|computed|calculated|cancell?ed|booked|created|updated)`;
const PAST = new RegExp(
  String.raw`\b(?:(?:I|we|they|you|he|she|the (?:user|assistant|agent|model))(?:'ve| have| had|'d)?\s+(?:\w+ly\s+|already\s+|just\s+|also\s+|first\s+|then\s+|previously\s+|initially\s+)*${DONE_VERB}|(?:was|were|has been|have been|had been|already been)\s+(?:\w+ly\s+)?(?:called|searched|run|executed|tried|used|checked|fetched|queried|submitted|looked up|done|made|sent)|already|previously|earlier|(?:first|previous|last|earlier|initial|prior|original)\s+(?:\w+\s+)?(?:calls?|search(?:es)?|commands?|attempts?|quer(?:y|ies)|lookups?|requests?|tries|try|tool calls?)\s+(?:\w+\s+)?(?:was|were|returned|gave|failed|worked|showed)|(?:previous|prior)\s+(?:\w+\s+)?(?:calls?|search(?:es)?|commands?|attempts?|quer(?:y|ies)|lookups?|requests?|tries|try|runs?)|based on|according to|judging (?:by|from)|(?:results?|outputs?|outcomes?|responses?) (?:of|from)|as (?:shown|seen|returned|found|reported) (?:above|earlier|before))\b`,
  'i',
);
/** What follows a call that was already made: its result. */
const RESULT_AFTER =
  /^(?:[)\]"'`\s]*,?\s*(?:returned|came back|gave|yielded|failed|didn'?t|did not|wasn'?t|was not|isn'?t|is not|showed|shows|says|said|mentioned|mentions|resulted in|results in|produced|printed|output(?:ted)?|responded|reported|errored|threw|raised|only (?:gave|returned|showed))\b|[^.!?\n]{0,60}?(?:[;,:\u2014]|\band\b)\s*(?:it|that|which|this|the (?:call|search|result|query|command|tool|lookup|response))\s+(?:\w+\s+)?(?:returned|came back|gave|yielded|showed|failed|didn'?t work|did not work|was invalid|worked|succeeded|found)\b)/i;
/** A sentence that opens as a summary of what was done ("Recap: …", "Calls so far: …"): what it lists are done. */
const RECAP_HEAD = /^\s*(?:[-*]\s*)?(?:recap|summary|in summary|to summari[sz]e|so far|history|(?:tool )?calls? (?:made )?so far|what (?:I|we) (?:have )?(?:done|called|found|tried) so far)\b[^.!?\n]{0,40}:/i;
/** Right after a call: its result, as an arrow or in brackets ("-> 18C", "(found)", "(182)"). */
const RESULT_MARK_AFTER = /^[)\]"'`]*\s*(?:->|=>|\u2192|\((?:found|not found|none|empty|no results?|error|failed|ok|done|success|[-+$\u20ac\u00a3]?\d))/i;
const REPEAT = /\b(?:again|retry|re-?try|re-?run|re-?do|re-?search|re-?check|once more|one more time|another (?:try|attempt|time))\b/i;

/**
 * The framing of an intent whose evidence lies at [start, end) of `text`: `negated` when the
 * clause before it rules the call out ("should not call", "instead of searching"), `past` when it
 * describes a call already made ("we called X with Y; it returned []"), `hedged` when it is a
 * maybe or a condition ("I might need to", "if … we could"), `repeat` when it is to be done again,
 * undefined when the call is stated as something to do. Reads only a bounded window around the
 * evidence: the clause before it, the sentence for a condition, and the rest of the sentence
 * after it for a result.
 */
export function framingOf(text: string, start: number, end: number): Cue | undefined {
  const from = Math.max(0, start - LOOK_BACK);
  const before = text.slice(from, start);
  const sentence = lastPiece(before, SENTENCE_BREAK);
  const inside = text.slice(start, Math.min(end, start + LOOK_BACK));
  const clause = lastPiece(sentence, CLAUSE_BREAK) + ' ' + firstClause(inside);
  // A maybe anywhere between a mention and its value frames the value ("… with a keyword, perhaps "X"").
  const span = lastPiece(sentence, CLAUSE_BREAK) + ' ' + untilSentenceEnd(inside);
  const after = untilSentenceEnd(text.slice(end, end + LOOK_AHEAD));
  const softened = clause.replace(SOFT_NEGATION, ' hedge ');
  if (NEGATED.test(softened) || NOT_NEEDED_AFTER.test(after)) return 'negated';
  if (PAST.test(clause) || RESULT_AFTER.test(after) || RESULT_MARK_AFTER.test(after) || RECAP_HEAD.test(sentence)) return 'past';
  if (HEDGED.test(span) || softened !== clause || CONDITIONAL.test(sentence) || HEDGED_AFTER.test(after) || /^[^.!\n]*\?/.test(after)) return 'hedged';
  if (REPEAT.test(clause) || REPEAT.test(firstClause(after))) return 'repeat';
  return undefined;
}

/** The text after the last match of `breaks` in `text`. */
function lastPiece(text: string, breaks: RegExp): string {
  let cut = 0;
  breaks.lastIndex = 0;
  for (let m = breaks.exec(text); m !== null; m = breaks.exec(text)) cut = m.index + m[0].length;
  return text.slice(cut);
}

function firstClause(text: string): string {
  CLAUSE_BREAK.lastIndex = 0;
  const m = CLAUSE_BREAK.exec(text);
  return m ? text.slice(0, m.index) : text;
}

function untilSentenceEnd(text: string): string {
  SENTENCE_BREAK.lastIndex = 0;
  const m = SENTENCE_BREAK.exec(text);
  return m ? text.slice(0, m.index + 1) : text;
}

/** How strongly a framing states the call: a plain or repeated statement beats a maybe, which beats a refusal or a recap. */
export function cueStrength(cue: Cue | undefined): number {
  return cue === undefined || cue === 'repeat' ? 2 : cue === 'hedged' ? 1 : 0;
}
