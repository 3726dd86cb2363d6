import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ToolSpec } from '../../../src/core/chat/types.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import { RuleSniffer } from '../../../src/core/sniff/rule-sniffer.js';
import { namedByOwnWords, namedTool, parameterFor, toolsForRole } from '../../../src/core/sniff/tool-roles.js';

const tool = (name: string, description: string, param: string): ToolSpec => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties: { [param]: { type: 'string' } }, required: [param] } },
});
const articles = tool('search_articles', 'Search the knowledge base articles', 'query');
const products = tool('search_products', 'Search the product catalogue', 'query');
const rules = () => parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;

function ruleCalls(tools: ToolSpec[], text: string): string[] {
  const s = new RuleSniffer(rules(), tools, new ArgumentNormalizer());
  const out = [...s.push(text), ...s.flush()];
  return out.filter((i) => i.kind === 'call').map((i) => `${i.tool} ${i.canonical}`);
}

describe('role rules with several candidate tools', () => {
  it('lists every tool that plays the role about as well as the best', () => {
    assert.deepEqual(toolsForRole([articles, products], 'searcher').map((t) => t.function.name).sort(), ['search_articles', 'search_products']);
  });

  it('binds to the candidate the reasoning names', () => {
    assert.deepEqual(ruleCalls([articles, products], 'I will use search_products and search for "red shoes" there.'), ['search_products {"query":"red shoes"}']);
    assert.deepEqual(ruleCalls([articles, products], 'With the search articles tool, search for "refund policy".'), ['search_articles {"query":"refund policy"}']);
  });

  it('binds to the candidate whose own words the reasoning uses, from its name or its description', () => {
    assert.deepEqual(ruleCalls([articles, products], 'Next I will search the knowledge base for "refund window".'), ['search_articles {"query":"refund window"}']);
    assert.deepEqual(ruleCalls([articles, products], 'Let me search the catalogue for "red shoes".'), ['search_products {"query":"red shoes"}']);
    // A word of the value is not a word for the tool.
    assert.deepEqual(ruleCalls([articles, products], 'Now I should search for "catalogue tips" somewhere.'), []);
  });

  it('predicts nothing when the reasoning names none of the candidates', () => {
    assert.deepEqual(ruleCalls([articles, products], 'Now I should search for "red shoes" somewhere.'), []);
  });

  it('still binds a single candidate without its name', () => {
    assert.deepEqual(ruleCalls([articles], 'Now I should search for "refund policy" first.'), ['search_articles {"query":"refund policy"}']);
  });

  it('maps a generic capture to the one required string parameter when no alias fits', () => {
    assert.equal(parameterFor(tool('search', 'Search for an entity', 'entity'), 'query'), 'entity');
    assert.equal(namedTool([articles, products], 'the search products tool'), products);
  });
});

describe('namedByOwnWords: words that order the steps', () => {
  it('does not take "first" or "next" for a candidate whose description has them', () => {
    const t = (name: string, description: string): ToolSpec => ({ type: 'function', function: { name, description, parameters: { type: 'object', properties: {} } } });
    const candidates = [t('web_search', 'Search the web.'), t('find_member', 'Find a member by first name and postcode.')];
    assert.equal(namedByOwnWords(candidates, 'First I will'), undefined);
    assert.equal(namedByOwnWords(candidates, 'by postcode'), candidates[1]);
  });
});
