// The trace bundle in real Chromium: the think stream with highlights and hovers, the timeline,
// the figures, the replay controls, batching, restored state, and inert model text.
import assert from 'node:assert/strict';
import { frames, openPage, post } from './harness.mjs';

const REASONING = ['The user wants the weather. ', 'So I should call get_forecast with city "Lisbon" ', 'and days 2. Then answer.'];
const spanText = 'call get_forecast with city "Lisbon"';
const spanStart = REASONING.join('').indexOf(spanText);
const figures = { intents: 1, fired: 1, hits: 1, partialHits: 0, misses: 0, misfires: 0, blocked: 0, wastedMs: 0, savedMs: 850, ttaMs: 0, ttaWithoutMs: 850, calls: 1 };

/** One turn: reasoning, a fired intent whose speculation serves the formal call (a hit), figures. */
export function hitTrace() {
  return [
    { type: 'turnStart', turn: 0, t: 0, label: 'run 1 · turn 1' },
    ...REASONING.map((text, i) => ({ type: 'reasoning', turn: 0, t: 100 * (i + 1), text })),
    { type: 'specStart', turn: 0, t: 250, specId: 1, tool: 'get_forecast', canonical: '{"city":"Lisbon","days":2}', ruleId: 'schema:get_forecast' },
    { type: 'intent', turn: 0, t: 250, id: 0, kind: 'call', tool: 'get_forecast', canonical: '{"city":"Lisbon","days":2}', ruleId: 'schema:get_forecast', probability: 0.7, decision: 'fired', span: { start: spanStart, end: spanStart + spanText.length } },
    { type: 'intent', turn: 0, t: 260, id: 1, kind: 'call', tool: 'book_trip', canonical: '{}', ruleId: 'trip', probability: 0.9, decision: 'blocked', span: { start: 0, end: 8 } },
    { type: 'specEnd', turn: 0, t: 1100, specId: 1, status: 'done' },
    { type: 'seal', turn: 0, t: 1500, callId: 'c1', tool: 'get_forecast', arguments: '{"city":"Lisbon","days":2}' },
    { type: 'claim', turn: 0, t: 1500, callId: 'c1', tool: 'get_forecast', canonical: '{"city":"Lisbon","days":2}', outcome: 'hit', specId: 1, savedMs: 850 },
    { type: 'figures', turn: 0, t: 1500, figures },
  ];
}

async function livePage(browser, base, options) {
  const opened = await openPage(browser, base, 'trace', options);
  await post(opened.page, 'trace/reset', { source: { kind: 'live', title: 'chat' } });
  return opened;
}

const replayState = (over = {}) => ({ playing: false, speed: 1, position: 0, total: 10, timeMs: 0, durationMs: 1500, resniff: true, ...over });

export const traceTests = [
  [
    'the think stream shows the reasoning with each intent highlighted exactly at its span, coloured by outcome',
    async ({ browser, base }) => {
      const { page, context, errors } = await livePage(browser, base);
      await post(page, 'trace/events', { events: hitTrace() });
      await page.waitForSelector('[data-testid="intent"][data-outcome="hit"]');
      const got = await page.evaluate(() => ({
        text: document.querySelector('.turn-body').textContent,
        marks: [...document.querySelectorAll('[data-testid="intent"]')].map((m) => [m.textContent, m.dataset.outcome]),
      }));
      assert.equal(got.text, REASONING.join(''));
      assert.deepEqual(got.marks, [
        ['The user', 'blocked'],
        [spanText, 'hit'],
      ]);
      assert.deepEqual(errors, []);
      await context.close();
    },
  ],
  [
    'hovering a highlight shows its rule, confidence, predicted arguments and outcome',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: hitTrace() });
      await page.hover('[data-testid="intent"][data-outcome="hit"]');
      await page.waitForSelector('[data-testid="intent-tooltip"]:visible');
      const fields = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.tip-row')].map((r) => [r.dataset.field, r.querySelector('.tip-value').textContent])));
      assert.deepEqual(fields, { tool: 'get_forecast', rule: 'schema:get_forecast', confidence: '70%', arguments: '{"city":"Lisbon","days":2}', decision: 'fired', outcome: 'hit' });
      await page.mouse.move(1, 1);
      await page.hover('.trace-title');
      await page.waitForSelector('[data-testid="intent-tooltip"]', { state: 'hidden' });
      await context.close();
    },
  ],
  [
    'the timeline has a lane per tool with a bar from speculation start to end, the seal, and the outcome',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: hitTrace() });
      await page.waitForSelector('[data-testid="spec-bar"][data-outcome="hit"]');
      const lanes = await page.$$eval('[data-testid="lane"]', (ls) => ls.map((l) => l.dataset.tool));
      assert.deepEqual(lanes, ['get_forecast']);
      const geo = await page.evaluate(() => {
        const bar = document.querySelector('[data-testid="spec-bar"]').getBoundingClientRect();
        const seal = document.querySelector('[data-testid="seal"]').getBoundingClientRect();
        return { barLeft: bar.left, barRight: bar.right, seal: seal.left };
      });
      // Start 250, end 1100, seal 1500: the seal lies to the right of the bar's end.
      assert.ok(geo.barRight < geo.seal, JSON.stringify(geo));
      assert.ok(geo.barLeft < geo.barRight);
      await context.close();
    },
  ],
  [
    'zooming widens the bars, panning moves them, and Fit brings the whole trace back',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: hitTrace() });
      await page.waitForSelector('[data-testid="spec-bar"]');
      const width = () => page.$eval('[data-testid="spec-bar"]', (b) => b.getBoundingClientRect().width);
      const left = () => page.$eval('[data-testid="spec-bar"]', (b) => b.getBoundingClientRect().left);
      const w0 = await width();
      await page.click('[data-testid="zoom-in"]');
      await frames(page);
      const w1 = await width();
      assert.ok(Math.abs(w1 - 2 * w0) < 2, `${w0} -> ${w1}`);
      const l1 = await left();
      const lanes = await page.$('.lanes');
      const box = await lanes.boundingBox();
      await page.mouse.move(box.x + 300, box.y + 10);
      await page.mouse.down();
      await page.mouse.move(box.x + 200, box.y + 10, { steps: 4 });
      await page.mouse.up();
      await frames(page);
      assert.ok((await left()) < l1 - 50, 'dragging left did not pan');
      await page.click('[data-testid="zoom-fit"]');
      await frames(page);
      assert.ok(Math.abs((await width()) - w0) < 1);
      await context.close();
    },
  ],
  [
    'the per-turn figures show intents, hits, saved time and Time-to-Action with and without',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: hitTrace() });
      await page.waitForSelector('[data-testid="figures-row"]');
      const row = await page.$$eval('[data-testid="figures-row"] td', (tds) => Object.fromEntries(tds.slice(1).map((td) => [td.dataset.field, td.textContent])));
      assert.deepEqual(row, { intents: '1', fired: '1', hits: '1', misfires: '0', wasted: '0 ms', saved: '850 ms', 'TTA with': '0 ms', 'TTA without': '850 ms' });
      await context.close();
    },
  ],
  [
    'replay controls are hidden live, shown for a replay, and post play, speed, step, seek and re-sniff',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      assert.equal(await page.isVisible('[data-testid="replay-controls"]'), false);
      await post(page, 'trace/reset', { source: { kind: 'replay', title: 'Umbrella' }, replay: replayState() });
      await page.waitForSelector('[data-testid="replay-controls"]:visible');
      await page.click('[data-testid="replay-play"]');
      await page.selectOption('[data-testid="replay-speed"]', '20');
      await page.click('[data-testid="replay-step-intent"]');
      await page.click('[data-testid="replay-step-call"]');
      await page.$eval('[data-testid="replay-scrubber"]', (s) => {
        s.value = '7';
        s.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.click('[data-testid="replay-resniff"]');
      const posted = await page.evaluate(() => window.__posted.filter((m) => m.type.startsWith('replay/')));
      assert.deepEqual(posted, [
        { type: 'replay/play', payload: {} },
        { type: 'replay/speed', payload: { speed: 20 } },
        { type: 'replay/step', payload: { to: 'intent' } },
        { type: 'replay/step', payload: { to: 'call' } },
        { type: 'replay/seek', payload: { position: 7 } },
        { type: 'replay/resniff', payload: { on: false } },
      ]);
      await post(page, 'trace/events', { events: [], replay: replayState({ playing: true, position: 4, timeMs: 600 }) });
      await page.waitForSelector('[data-testid="replay-play"][data-playing="true"]');
      assert.equal(await page.textContent('[data-testid="replay-position"]'), '4/10 · 600 ms of 1.50 s');
      await context.close();
    },
  ],
  [
    'fork into chat is offered for a replay only and posts the turn the replay has reached',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      assert.equal(await page.isVisible('[data-testid="replay-fork"]'), false);
      await post(page, 'trace/reset', { source: { kind: 'replay', title: 'Umbrella' }, replay: replayState() });
      await page.waitForSelector('[data-testid="replay-fork"]:visible');
      assert.equal(await page.getAttribute('[data-testid="replay-fork"]', 'disabled'), null);
      await page.click('[data-testid="replay-fork"]');
      const second = hitTrace().map((e) => ({ ...e, turn: 1, ...(e.type === 'turnStart' ? { label: 'turn 2' } : {}) }));
      await post(page, 'trace/events', { events: [...hitTrace(), ...second], replay: replayState({ position: 10 }) });
      await frames(page);
      await page.click('[data-testid="replay-fork"]');
      const posted = await page.evaluate(() => window.__posted.filter((m) => m.type === 'replay/fork'));
      assert.deepEqual(posted, [
        { type: 'replay/fork', payload: { turn: 0 } },
        { type: 'replay/fork', payload: { turn: 1 } },
      ]);
      await context.close();
    },
  ],
  [
    'events split over many messages draw the same stream as one batch',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      const events = hitTrace();
      for (const e of events) await post(page, 'trace/events', { events: [e] });
      await page.waitForSelector('[data-testid="spec-bar"][data-outcome="hit"]');
      const one = await page.evaluate(() => document.querySelector('.think-stream').innerHTML);
      await post(page, 'trace/reset', { source: { kind: 'live', title: 'chat' } });
      await post(page, 'trace/events', { events });
      await page.waitForSelector('[data-testid="spec-bar"][data-outcome="hit"]');
      await frames(page);
      const batched = await page.evaluate(() => document.querySelector('.think-stream').innerHTML);
      assert.equal(batched, one);
      await context.close();
    },
  ],
  [
    'the timeline zoom survives a reload, and the page asks the host for the trace again',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: hitTrace() });
      await page.waitForSelector('[data-testid="spec-bar"]');
      await page.click('[data-testid="zoom-in"]');
      await frames(page);
      const zoomed = await page.$eval('[data-testid="spec-bar"]', (b) => b.getBoundingClientRect().width);
      await page.reload();
      await page.waitForFunction(() => window.__posted.some((m) => m.type === 'trace/ready'));
      await post(page, 'trace/reset', { source: { kind: 'live', title: 'chat' } });
      await post(page, 'trace/events', { events: hitTrace() });
      await page.waitForSelector('[data-testid="spec-bar"]');
      await frames(page);
      const after = await page.$eval('[data-testid="spec-bar"]', (b) => b.getBoundingClientRect().width);
      assert.ok(Math.abs(after - zoomed) < 1, `${zoomed} vs ${after}`);
      await context.close();
    },
  ],
  [
    'markup in the reasoning and tool names is shown as text and never runs',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base, { csp: false });
      const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
      await post(page, 'trace/events', {
        events: [
          { type: 'turnStart', turn: 0, t: 0, label: '<b onmouseover="window.__pwned=3">x</b>' },
          { type: 'reasoning', turn: 0, t: 1, text: evil },
          { type: 'intent', turn: 0, t: 2, id: 0, kind: 'call', tool: '<img src=x onerror="window.__pwned=4">', canonical: '{}', ruleId: '<script>window.__pwned=5</script>', probability: 1, decision: 'fired', span: { start: 0, end: 10 } },
          { type: 'specStart', turn: 0, t: 3, specId: 1, tool: '<img src=x onerror="window.__pwned=6">', canonical: '{}', ruleId: 'r' },
        ],
      });
      await page.waitForSelector('[data-testid="intent"]');
      await page.hover('[data-testid="intent"]');
      await frames(page);
      const r = await page.evaluate(() => ({ pwned: window.__pwned ?? null, imgs: document.querySelectorAll('#app img, #app script, #app b, .intent-tooltip img').length, text: document.querySelector('.turn-body').textContent }));
      assert.deepEqual(r, { pwned: null, imgs: 0, text: evil });
      await context.close();
    },
  ],
];
