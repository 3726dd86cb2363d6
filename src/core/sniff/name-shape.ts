/** A capitalised word, in any script: "Oslo", "Åsa", "Leppälüoto", "O'Dea". */
const WORD = String.raw`\p{Lu}[\p{L}\p{M}'\u2019.-]*`;
const NAME = new RegExp(String.raw`^(?:\p{Lu}[\p{Ll}\p{M}]|${WORD}(?:\s+(?:(?:of|de|la|le|van|von|der|du|del|da|di|y)\s+)?${WORD})+$)`, 'u');

/**
 * Whether unquoted text is shaped like a proper name rather than prose: a capitalised word
 * with lower case after its capital ("Lisbon", "Émile"), or several capitalised words ("JP
 * Leppälüoto", "New York"), in any script.
 */
export function looksLikeName(text: string): boolean {
  return NAME.test(text);
}
