// The chat bundle in real Chromium: markdown answers, the XSS guarantee, the thinking block, tool cards, the header.
import assert from 'node:assert/strict';
import { frames, openPage, post } from './harness.mjs';

const endpoint = { kind: 'demo', baseUrl: 'http://127.0.0.1:1/v1', model: 'foresight-demo', tools: ['get_forecast'] };

async function chatPage(browser, base, options) {
  const opened = await openPage(browser, base, 'chat', options);
  await post(opened.page, 'chat/state', { conversationId: 'c1', running: false, endpoint, suggestions: [] });
  return opened;
}

const event = (page, e) => post(page, 'chat/event', { conversationId: 'c1', event: e });

const XSS_ANSWER = [
  'Here is the forecast.',
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  '[click me](javascript:window.__pwned=\'link\')',
  '<a href="javascript:window.__pwned=\'a\'">raw link</a>',
  '<svg onload="window.__pwned=\'svg\'"></svg>',
  '<iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
].join('\n\n');

async function answerWith(page, text) {
  await event(page, { type: 'runStart', runId: 0, text: 'hi' });
  await event(page, { type: 'turnStart', runId: 0, turn: 0 });
  await event(page, { type: 'content', runId: 0, turn: 0, text });
  await event(page, { type: 'turnEnd', runId: 0, turn: 0, finishReason: 'stop' });
  await event(page, { type: 'runEnd', runId: 0, reason: 'answer' });
  await page.waitForSelector('[data-testid="answer"] p');
  await frames(page);
}

async function assertInert(page) {
  // Give any handler a chance to run: a load error fires after the image fails, a click navigates.
  await frames(page);
  const links = page.locator('[data-testid="answer"] a');
  for (let i = 0; i < (await links.count()); i++) await links.nth(i).click({ force: true }).catch(() => {});
  await frames(page);
  const report = await page.evaluate(() => {
    const answer = document.querySelector('[data-testid="answer"]');
    const all = [...answer.querySelectorAll('*')];
    return {
      pwned: window.__pwned ?? null,
      scripts: answer.querySelectorAll('script, iframe, svg').length,
      handlers: all.flatMap((n) => [...n.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
      badHrefs: all.map((n) => n.getAttribute('href') ?? n.getAttribute('src') ?? '').filter((h) => /^\s*javascript:/i.test(h)),
      text: answer.textContent,
    };
  });
  assert.equal(report.pwned, null, 'a script from the answer ran');
  assert.equal(report.scripts, 0, 'a script, iframe or svg element survived');
  assert.deepEqual(report.handlers, [], 'an event handler attribute survived');
  assert.deepEqual(report.badHrefs, [], 'a javascript: URL survived');
  assert.match(report.text, /Here is the forecast\./);
}

export const chatTests = [
  [
    'the header says in one line what Foresight does, and names a remote endpoint by its host, never its URL',
    async ({ browser, base }) => {
      const { page, context, errors } = await openPage(browser, base, 'chat', { width: 290 });
      const remote = { kind: 'remote', baseUrl: 'https://llm.tickets.example.org:8443/v1', model: 'ticket-reasoner', tools: ['lookup_ticket'] };
      await post(page, 'chat/state', { conversationId: 'c1', running: false, endpoint: remote, suggestions: [] });
      await page.waitForSelector('[data-testid="tagline"]');
      const tagline = await page.$eval('[data-testid="tagline"]', (n) => {
        const lineHeight = parseFloat(getComputedStyle(n).lineHeight) || parseFloat(getComputedStyle(n).fontSize) * 1.6;
        return { text: n.textContent, height: n.getBoundingClientRect().height, lineHeight, cut: n.scrollWidth > n.clientWidth };
      });
      assert.equal(tagline.text, 'Runs read-only tools while the model thinks.');
      assert.equal(tagline.cut, false, 'the line is not cut off in a narrow sidebar');
      assert.ok(tagline.height < tagline.lineHeight * 1.5, `the tagline takes one line in a narrow sidebar (${tagline.height}px for a ${tagline.lineHeight}px line)`);
      assert.equal(await page.textContent('[data-testid="endpoint-label"]'), 'llm.tickets.example.org');
      assert.equal(await page.textContent('[data-testid="model"]'), 'ticket-reasoner');
      assert.doesNotMatch(await page.textContent('header'), /https?:|\/v1/, 'no URL in the header text');
      await page.click('[data-testid="choose-model"]');
      assert.deepEqual(await page.evaluate(() => window.__posted.filter((m) => m.type === 'chat/configure')), [{ type: 'chat/configure', payload: { what: 'model' } }]);
      // The demo has one model: no picker.
      await post(page, 'config/changed', { endpoint, suggestions: [] });
      await page.waitForSelector('[data-testid="choose-model"]', { state: 'hidden' });
      assert.equal(await page.textContent('[data-testid="endpoint-label"]'), 'Demo (recorded sessions)');
      assert.deepEqual(errors, []);
      await context.close();
    },
  ],
  [
    'the status does not say ready before the host reports the endpoint open and the tools listed',
    async ({ browser, base }) => {
      const { page, context } = await chatPage(browser, base);
      const status = () => page.textContent('[data-testid="status"]');
      await page.waitForSelector('[data-testid="status"]');
      assert.equal(await status(), 'starting the endpoint…');
      await post(page, 'chat/readiness', { readiness: { kind: 'listingTools' } });
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'starting the tools…');
      await post(page, 'chat/readiness', { readiness: { kind: 'ready' } });
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'ready');
      await post(page, 'chat/readiness', { readiness: { kind: 'failed', problem: 'The endpoint refused the connection <b>now</b>.' } });
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]').dataset.kind === 'error');
      assert.equal(await status(), 'not ready: The endpoint refused the connection <b>now</b>.');
      assert.equal(await page.locator('[data-testid="status"] b').count(), 0);
      // A run's own outcome is shown whatever the readiness.
      await answerWith(page, 'Bring an umbrella.');
      assert.equal(await status(), 'done');
      await context.close();
    },
  ],
  [
    'the header lists the active rule files as text buttons that ask the host to open them, and a refused file’s reason',
    async ({ browser, base }) => {
      const { page, context, errors } = await chatPage(browser, base);
      const hostile = '<img src=x onerror="window.__pwned=1">.sniff';
      const files = [
        { name: 'default.sniff', path: '/ext/media/rules/default.sniff', origin: 'shipped' },
        { name: 'orders.sniff', path: '/w/rules/orders.sniff', origin: 'settings' },
        { name: hostile, path: `/w/${hostile}`, origin: 'chat', problem: 'line 2: unclosed group <script>' },
      ];
      await post(page, 'chat/rules', { files, problem: `${hostile} was not reloaded, its previous rules are kept: line 2: unclosed group` });
      await page.waitForSelector('[data-testid="rule-files"]:visible');
      assert.deepEqual(await page.$$eval('[data-testid="rule-file"]', (b) => b.map((n) => n.textContent)), ['default.sniff', 'orders.sniff', hostile]);
      assert.match(await page.textContent('[data-testid="rules-problem"]'), /was not reloaded, its previous rules are kept: line 2/);
      assert.equal(await page.locator('header img, header script').count(), 0, 'a hostile file name is text');
      await page.locator('[data-testid="rule-file"]').nth(2).click();
      await frames(page);
      assert.deepEqual(await page.evaluate(() => window.__posted.filter((m) => m.type === 'chat/openRuleFile')), [{ type: 'chat/openRuleFile', payload: { path: `/w/${hostile}` } }]);
      assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
      // Speculation switched off: no rules, no row.
      await post(page, 'chat/rules', { files: [] });
      await page.waitForSelector('[data-testid="rule-files"]', { state: 'hidden' });
      await page.waitForSelector('[data-testid="rules-problem"]', { state: 'hidden' });
      assert.deepEqual(errors, []);
      await context.close();
    },
  ],
  [
    'a fork opens a new conversation with its notice, also when only chat/state tells of it',
    async ({ browser, base }) => {
      const { page, context, errors } = await chatPage(browser, base);
      await answerWith(page, 'Old answer.');
      const forked = { type: 'forked', title: 'Umbrella in Lisbon', turn: 1, messages: 3 };
      await post(page, 'chat/event', { conversationId: 'c2', event: forked });
      await page.waitForSelector('[data-testid="fork-notice"]');
      assert.equal(await page.textContent('[data-testid="fork-notice"]'), 'Forked from «Umbrella in Lisbon» at turn 2: 3 earlier messages');
      assert.equal(await page.locator('[data-testid="answer"]').count(), 0, 'the old conversation is gone');
      await post(page, 'chat/state', { conversationId: 'c2', running: false, endpoint, suggestions: [], forked });
      await frames(page);
      assert.equal(await page.locator('[data-testid="fork-notice"]').count(), 1);
      await context.close();

      const late = await openPage(browser, base, 'chat');
      await post(late.page, 'chat/state', { conversationId: 'c3', running: false, endpoint, suggestions: [], forked: { ...forked, messages: 1 } });
      await late.page.waitForSelector('[data-testid="fork-notice"]');
      assert.equal(await late.page.textContent('[data-testid="fork-notice"]'), 'Forked from «Umbrella in Lisbon» at turn 2: 1 earlier message');
      assert.deepEqual([...errors, ...late.errors], []);
      await late.context.close();
    },
  ],
  [
    'the answer is rendered as markdown: headings, lists, code and web links',
    async ({ browser, base }) => {
      const { page, context, errors } = await chatPage(browser, base);
      await answerWith(page, '## Lisbon\n\n- rain **70%**\n- wind `12 km/h`\n\n```\ncode block\n```\n\nSee [IPMA](https://www.ipma.pt).');
      const shape = await page.evaluate(() => {
        const a = document.querySelector('[data-testid="answer"]');
        return { h2: a.querySelector('h2')?.textContent, li: a.querySelectorAll('li').length, strong: a.querySelector('strong')?.textContent, pre: a.querySelector('pre code')?.textContent, href: a.querySelector('a')?.getAttribute('href'), rel: a.querySelector('a')?.getAttribute('rel') };
      });
      assert.deepEqual(shape, { h2: 'Lisbon', li: 2, strong: '70%', pre: 'code block\n', href: 'https://www.ipma.pt', rel: 'noopener noreferrer' });
      assert.deepEqual(errors, []);
      await context.close();
    },
  ],
  [
    'model output with <script>, <img onerror> and javascript: links is inert, even without the page CSP',
    async ({ browser, base }) => {
      const { page, context } = await chatPage(browser, base, { csp: false });
      await answerWith(page, XSS_ANSWER);
      await assertInert(page);
      await context.close();
    },
  ],
  [
    'model output with <script>, <img onerror> and javascript: links is inert under the page CSP',
    async ({ browser, base }) => {
      const { page, context } = await chatPage(browser, base);
      await answerWith(page, XSS_ANSWER);
      await assertInert(page);
      await context.close();
    },
  ],
  [
    'the thinking block streams open, then collapses with its duration and token count',
    async ({ browser, base }) => {
      const { page, context } = await chatPage(browser, base);
      await event(page, { type: 'runStart', runId: 0, text: 'hi' });
      await event(page, { type: 'turnStart', runId: 0, turn: 0 });
      for (const w of ['Let ', 'me ', 'check ', 'the ', 'forecast.']) await event(page, { type: 'reasoning', runId: 0, turn: 0, text: w });
      await page.waitForSelector('[data-testid="thinking"][data-state="streaming"][data-open]');
      assert.equal(await page.textContent('[data-testid="reasoning"]'), 'Let me check the forecast.');
      assert.match(await page.textContent('[data-testid="thinking-summary"]'), /^Thinking… · 5 tokens$/);
      await event(page, { type: 'content', runId: 0, turn: 0, text: 'Bring an umbrella.' });
      await page.waitForSelector('[data-testid="thinking"][data-state="done"]:not([data-open])');
      assert.match(await page.textContent('[data-testid="thinking-summary"]'), /^Thought for \d+ ms · 5 tokens$/);
      const folded = await page.$eval('[data-testid="reasoning"]', (r) => r.getBoundingClientRect().height);
      await page.click('[data-testid="thinking-summary"]');
      await page.waitForSelector('[data-testid="thinking"][data-open]');
      assert.equal(await page.getAttribute('[data-testid="thinking-summary"]', 'aria-expanded'), 'true');
      // Folded, the reasoning is clipped, not removed: it can still be read.
      assert.equal(await page.innerText('[data-testid="reasoning"]'), 'Let me check the forecast.');
      assert.ok(folded > 0);
      await context.close();
    },
  ],
  [
    'a tool card served from a speculation shows the badge with the time saved',
    async ({ browser, base }) => {
      const { page, context } = await chatPage(browser, base);
      await event(page, { type: 'runStart', runId: 0, text: 'hi' });
      await event(page, { type: 'turnStart', runId: 0, turn: 0 });
      await event(page, { type: 'toolStart', runId: 0, turn: 0, callId: 'c', name: 'get_forecast', arguments: '{"city":"Lisbon"}' });
      await event(page, { type: 'toolEnd', runId: 0, turn: 0, callId: 'c', name: 'get_forecast', output: '{"rain":0.7}', isError: false, recorded: true, durationMs: 850, speculative: { outcome: 'hit', savedMs: 850 } });
      await page.waitForSelector('[data-testid="tool-speculative"]:visible');
      assert.equal(await page.textContent('[data-testid="tool-speculative"]'), 'hit · saved 850 ms');
      // The card gives the tool's own run time, the one the trace's bar shows, not the 0 ms the call waited.
      assert.equal(await page.textContent('[data-testid="tool-duration"]'), '850 ms');
      assert.equal(await page.textContent('[data-testid="tool-name"]'), 'get_forecast');
      await context.close();
    },
  ],
  [
    'a tool card names its MCP server as text, even a hostile name, and a built-in tool names none',
    async ({ browser, base }) => {
      const { page, context } = await chatPage(browser, base);
      const hostile = '<img src="x" onerror="window.__pwned = \'server\'">';
      await event(page, { type: 'runStart', runId: 0, text: 'hi' });
      await event(page, { type: 'turnStart', runId: 0, turn: 0 });
      await event(page, { type: 'toolStart', runId: 0, turn: 0, callId: 'a', name: 'lookup_order', arguments: '{}', server: hostile });
      await event(page, { type: 'toolEnd', runId: 0, turn: 0, callId: 'a', name: 'lookup_order', server: hostile, output: 'shipped', isError: false, recorded: false, durationMs: 2 });
      await event(page, { type: 'toolStart', runId: 0, turn: 0, callId: 'b', name: 'read_file', arguments: '{}' });
      await page.waitForSelector('[data-testid="tool-server"]:visible');
      assert.equal(await page.textContent('[data-testid="tool-server"]'), `from ${hostile}`);
      assert.equal(await page.locator('.tool-card img').count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
      assert.equal(await page.locator('[data-testid="tool-server"]:visible').count(), 1);
      await context.close();
    },
  ],
  [
    'the header shows one line per tool notice from the host, and drops them when the host sends none',
    async ({ browser, base }) => {
      const { page, context } = await chatPage(browser, base);
      await page.waitForSelector('.model');
      await page.evaluate(() => window.postMessage({ type: 'config/changed', payload: { endpoint: null, suggestions: [], notices: ['Restricted Mode: no tools.'] } }, '*'));
      await page.waitForSelector('[data-testid="tool-notice"]:visible');
      assert.equal(await page.textContent('[data-testid="tool-notice"]'), 'Restricted Mode: no tools.');
      await page.evaluate(() => window.postMessage({ type: 'config/changed', payload: { endpoint: null, suggestions: [] } }, '*'));
      await page.waitForSelector('[data-testid="tool-notices"]', { state: 'hidden' });
      await context.close();
    },
  ],
  [
    'the header shows the model and endpoint, and its links ask the host to change them or the API key',
    async ({ browser, base }) => {
      const { page, context } = await chatPage(browser, base);
      await page.waitForSelector('.model');
      assert.equal(await page.textContent('.model'), 'foresight-demo');
      assert.equal(await page.textContent('.endpoint'), 'Demo (recorded sessions)');
      await page.click('[data-testid="configure-endpoint"]');
      await page.click('[data-testid="configure-api-key"]');
      const posted = await page.evaluate(() => window.__posted.filter((m) => m.type === 'chat/configure'));
      assert.deepEqual(posted, [
        { type: 'chat/configure', payload: { what: 'endpoint' } },
        { type: 'chat/configure', payload: { what: 'apiKey' } },
      ]);
      await context.close();
    },
  ],
  [
    'a SpecReason turn labels each step with its author and score, and shows a fallback notice, all as text',
    async ({ browser, base }) => {
      const { page, context, errors } = await chatPage(browser, base);
      const steps = [
        ['base', 'reserved', undefined, 'The user asks about ticket 7731.\n\n'],
        ['draft', 'accepted', 8, 'lookup_ticket takes the number <img src=x onerror="window.__pwned=1">.\n\n'],
        ['base', 'rewritten', 3, 'The number is 7731, not 7713.\n\n'],
        ['draft', 'accepted', null, 'I will call lookup_ticket.'],
      ];
      await event(page, { type: 'runStart', runId: 0, text: 'Where is ticket 7731?' });
      await event(page, { type: 'turnStart', runId: 0, turn: 0 });
      let at = 0;
      for (const [author, kind, score, text] of steps) {
        await event(page, { type: 'reasoningStep', runId: 0, turn: 0, author, kind, start: at, end: at + text.length, ...(score !== undefined ? { score } : {}) });
        await event(page, { type: 'reasoning', runId: 0, turn: 0, text });
        at += text.length;
      }
      await event(page, { type: 'reasoning', runId: 0, turn: 0, text: ' Then answer.' });
      await event(page, { type: 'notice', runId: 0, turn: 0, text: 'SpecReason: the draft model failed <b onclick="window.__pwned=2">x</b>. This turn goes on with the base model alone.' });
      await event(page, { type: 'turnEnd', runId: 0, turn: 0, finishReason: 'stop' });
      await event(page, { type: 'runEnd', runId: 0, reason: 'answer' });
      await page.waitForSelector('[data-testid="turn-notice"]');
      await frames(page);
      const seen = await page.evaluate(() => ({
        labels: [...document.querySelectorAll('[data-testid="step-label"]')].map((n) => n.textContent),
        authors: [...document.querySelectorAll('[data-testid="reasoning-step"]')].map((n) => n.dataset.author),
        borders: [...document.querySelectorAll('[data-testid="reasoning-step"]')].map((n) => getComputedStyle(n).borderLeftColor),
        reasoning: document.querySelector('[data-testid="reasoning"]').textContent,
        notice: document.querySelector('[data-testid="turn-notice"]').textContent,
        injected: document.querySelectorAll('.conversation img, .conversation b').length,
        pwned: window.__pwned ?? null,
      }));
      assert.deepEqual(seen.labels, ['base', 'draft 8/9', 'base · draft 3/9', 'draft unscored']);
      assert.deepEqual(seen.authors, ['base', 'draft', 'base', 'draft']);
      assert.notEqual(seen.borders[0], seen.borders[1], 'draft and base steps have different border colours');
      assert.equal(seen.borders[0], seen.borders[2]);
      assert.match(seen.reasoning, /onerror="window.__pwned=1"/, 'the hostile step is shown as text');
      assert.match(seen.reasoning, /Then answer\.$/, 'reasoning after the last step is still shown');
      assert.match(seen.notice, /^SpecReason: the draft model failed <b onclick/);
      assert.equal(seen.injected, 0);
      assert.equal(seen.pwned, null);
      assert.deepEqual(errors, []);
      await context.close();
    },
  ],
  [
    'the header says when SpecReason mode is on, naming both models as text',
    async ({ browser, base }) => {
      const { page, context } = await chatPage(browser, base);
      await page.waitForSelector('.model');
      assert.equal(await page.locator('[data-testid="specreason-note"]:visible').count(), 0);
      const spec = { ...endpoint, specReason: { draftModel: '<i>tiny</i>', draftBaseUrl: 'http://127.0.0.1:8000/v1' } };
      await page.evaluate((e) => window.postMessage({ type: 'config/changed', payload: { endpoint: e, suggestions: [] } }, '*'), spec);
      await page.waitForSelector('[data-testid="specreason-note"]:visible');
      assert.equal(await page.textContent('[data-testid="specreason-note"]'), 'SpecReason: <i>tiny</i> drafts, foresight-demo judges');
      await context.close();
    },
  ],
];
