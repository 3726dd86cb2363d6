/**
 * Why a SpecReason turn went on with the base model alone. Each has a message for the user
 * that says what happened and which setting or server flag fixes it.
 */
export type SpecReasonProblemCode = 'draftUnavailable' | 'draftNoContinuation' | 'baseNoContinuation' | 'noLogprobs' | 'judgeUnavailable';

/** The settings the messages name; the extension declares them under these keys. */
export const SPEC_REASON_SETTING_KEYS = {
  enabled: 'foresight.specReason.enabled',
  draftBaseUrl: 'foresight.specReason.draftBaseUrl',
  draftModel: 'foresight.specReason.draftModel',
  topLogprobs: 'foresight.specReason.topLogprobs',
  baseUrl: 'foresight.baseUrl',
} as const;

const K = SPEC_REASON_SETTING_KEYS;
const ALONE = 'This turn goes on with the base model alone.';

/** The user's sentence for a problem; `detail` is what the server or network said, already free of credentials. */
export function problemMessage(code: SpecReasonProblemCode, detail: string, topLogprobs: number): string {
  const said = detail ? ` (${detail.replace(/[.\s]+$/, '')})` : '';
  switch (code) {
    case 'draftUnavailable':
      return `SpecReason: the draft model failed${said}. ${ALONE} Check ${K.draftBaseUrl}, ${K.draftModel} and that the draft server is running.`;
    case 'draftNoContinuation':
      return (
        `SpecReason: the draft endpoint does not continue an assistant message${said}. SpecReason sends the reasoning so far as an assistant prefill ` +
        `with continue_final_message: true and add_generation_prompt: false, as vLLM accepts. ${ALONE} Serve the draft model with vLLM (or a server that accepts these fields), ` +
        `or turn ${K.enabled} off.`
      );
    case 'baseNoContinuation':
      return (
        `SpecReason: the base endpoint does not continue an assistant message${said}; it needs continue_final_message: true and add_generation_prompt: false (vLLM-style). ` +
        `The base model answers from the start instead. Serve the base model with vLLM (or a server that accepts these fields), or turn ${K.enabled} off.`
      );
    case 'noLogprobs':
      return (
        `SpecReason: the base endpoint judged a step without logprobs${said}; SpecReason scores each step from choices[0].logprobs. ${ALONE} ` +
        `Serve the base model with logprobs allowed (vLLM: --max-logprobs ${topLogprobs} or more), lower ${K.topLogprobs}, or turn ${K.enabled} off.`
      );
    case 'judgeUnavailable':
      return `SpecReason: the base model could not judge a step${said}. ${ALONE} Check ${K.baseUrl}, or wait a moment if it is rate limiting.`;
  }
}
