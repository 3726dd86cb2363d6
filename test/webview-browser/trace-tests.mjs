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

const explanation = {
  gate: 'fired',
  summary: 'Ran early: 70% likely (rule 90%, measured on past runs); expected saving 595 ms (70% × 850 ms) against an expected cost of 124 ms.',
  prior: 0.9,
  probability: 0.7,
  latencyMs: 850,
  savingMs: 595,
  costMs: 124,
  costPerRunMs: 412,
  budgetUsed: 0,
  budgetMs: 30000,
};
const blockedExplanation = {
  gate: 'blocked',
  summary: 'Not run early: book_trip is not known to be read-only, and a tool that may change things only runs when the model calls it.',
  action: 'If book_trip only reads, add it to foresight.speculation.readOnlyTools; for an MCP tool whose server marks it read-only, run "Foresight: Trust MCP Server…".',
  prior: 0.9,
  probability: 0.9,
};

/** The hit trace with explanations, the tool's result, and a second turn that answers. */
export function fullTrace() {
  return [
    ...hitTrace().map((e) => (e.type === 'intent' ? { ...e, explanation: e.decision === 'blocked' ? blockedExplanation : explanation } : e)),
    { type: 'toolResult', turn: 0, t: 1501, callId: 'c1', tool: 'get_forecast', arguments: '{"city":"Lisbon","days":2}', output: 'Lisbon: rain tomorrow, 14 °C', truncated: false, isError: false, durationMs: 1, served: 'hit', savedMs: 850 },
    { type: 'turnStart', turn: 1, t: 1600, label: 'run 1 · turn 2' },
    { type: 'answer', turn: 1, t: 1700, text: 'Take an umbrella: ' },
    { type: 'answer', turn: 1, t: 1750, text: 'rain is forecast.' },
  ];
}

export const traceTests = [
  [
    'a SpecReason turn shows a strip of its steps, coloured by who wrote each, sized by its share, with the score in words',
    async ({ browser, base }) => {
      const { page, context, errors } = await livePage(browser, base);
      const text = REASONING.join('');
      await post(page, 'trace/events', {
        events: [
          ...hitTrace(),
          { type: 'reasoningStep', turn: 0, t: 1500, start: 0, end: 28, author: 'base', kind: 'reserved' },
          { type: 'reasoningStep', turn: 0, t: 1500, start: 28, end: 77, author: 'draft', kind: 'accepted', score: 8 },
          { type: 'reasoningStep', turn: 0, t: 1500, start: 77, end: text.length, author: 'base', kind: 'rewritten', score: null },
        ],
      });
      await page.waitForSelector('[data-testid="reasoning-steps"]:visible');
      const cells = await page.$$eval('[data-testid="reasoning-step"]', (cs) => cs.map((c) => ({ author: c.dataset.author, title: c.title, width: c.getBoundingClientRect().width, colour: getComputedStyle(c).backgroundColor })));
      assert.deepEqual(cells.map((c) => c.author), ['base', 'draft', 'base']);
      assert.match(cells[1].title, /^draft, kept at 8\/9 · 49 chars$/);
      assert.match(cells[2].title, /rewrote a draft the judge did not score/);
      assert.ok(cells[1].width > cells[0].width, 'the longer step is the wider cell');
      assert.notEqual(cells[0].colour, cells[1].colour, 'draft and base differ in colour');
      assert.equal(cells[0].colour, cells[2].colour);
      assert.equal(await page.locator('.turn-body').textContent(), text, 'the reasoning itself is untouched');
      assert.deepEqual(errors, []);
      await context.close();
    },
  ],
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
    'timeline lanes stay in order of their first moment as lanes come, move to their call and leave, with no lane left behind',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      const laneTools = () => page.$$eval('[data-testid="lane"]', (ls) => ls.map((l) => l.dataset.tool).join(','));
      const waitLanes = (want) => page.waitForFunction((w) => [...document.querySelectorAll('[data-testid="lane"]')].map((l) => l.dataset.tool).join(',') === w, want, { timeout: 10_000 }).catch(async () => assert.fail(`lanes ${await laneTools()}, wanted ${want}`));
      const spec = (specId, tool, t) => [
        { type: 'specStart', turn: 0, t, specId, tool, canonical: `{"n":${specId}}`, ruleId: 'r' },
        { type: 'intent', turn: 0, t, id: specId, kind: 'call', tool, canonical: `{"n":${specId}}`, ruleId: 'r', probability: 0.8, decision: 'fired', span: { start: 0, end: 4 } },
      ];
      await post(page, 'trace/events', { events: [{ type: 'turnStart', turn: 0, t: 0, label: 'turn 1' }, { type: 'reasoning', turn: 0, t: 0, text: 'Some thinking first.' }, ...spec(1, 'get_forecast', 100), ...spec(2, 'search_docs', 200)] });
      await waitLanes('get_forecast,search_docs');
      // A prediction blocked at 50 ms comes later but began first: its lane goes before the others.
      await post(page, 'trace/events', { events: [{ type: 'intent', turn: 0, t: 50, id: 3, kind: 'call', tool: 'book_trip', canonical: '{"n":3}', ruleId: 'r', probability: 0.8, decision: 'blocked', span: { start: 5, end: 9 } }] });
      await waitLanes('book_trip,get_forecast,search_docs');
      // The first run is claimed by its formal call: it moves to the call's lane, and its own lane goes.
      await post(page, 'trace/events', {
        events: [
          { type: 'specEnd', turn: 0, t: 250, specId: 1, status: 'done' },
          { type: 'seal', turn: 0, t: 300, callId: 'c1', tool: 'get_forecast', arguments: '{"n":1}' },
          { type: 'claim', turn: 0, t: 300, callId: 'c1', tool: 'get_forecast', canonical: '{"n":1}', outcome: 'hit', specId: 1, savedMs: 50 },
        ],
      });
      await page.waitForSelector('[data-testid="lane"] [data-testid="seal"]');
      await waitLanes('book_trip,get_forecast,search_docs');
      const forecast = await page.$$eval('[data-testid="lane"][data-tool="get_forecast"]', (ls) => ls.map((l) => [l.querySelectorAll('[data-testid="spec-bar"]').length, l.querySelectorAll('[data-testid="seal"]').length]));
      assert.deepEqual(forecast, [[1, 1]], 'one lane holds the run and its seal');
      await context.close();
    },
  ],
  [
    'the timeline has a lane per call with its speculative run from start to end, the seal, and the outcome',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: hitTrace() });
      await page.waitForSelector('[data-testid="spec-bar"][data-outcome="hit"]');
      const lanes = await page.$$eval('[data-testid="lane"]', (ls) => ls.map((l) => [l.dataset.tool, l.querySelectorAll('[data-testid="spec-bar"]').length, l.querySelectorAll('[data-testid="seal"]').length, l.querySelectorAll('[data-testid="blocked-mark"]').length]));
      // The formal call and the run that served it share a lane; the blocked prediction has its own.
      assert.deepEqual(lanes, [
        ['get_forecast', 1, 1, 0],
        ['book_trip', 0, 0, 1],
      ]);
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
    'a legend names every colour of the timeline: running, hit, partial, misfire, blocked, warm-up, time saved',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: hitTrace() });
      await page.waitForSelector('[data-testid="legend"]:visible');
      await page.waitForSelector('[data-testid="spec-bar"][data-outcome="hit"]');
      await page.waitForSelector('[data-testid="blocked-mark"]');
      const items = await page.$$eval('[data-testid="legend"] .legend-item', (is) => is.map((i) => [i.dataset.kind, i.textContent, i.title.length > 0]));
      assert.deepEqual(
        items.map(([kind]) => kind),
        ['pending', 'hit', 'partial', 'misfire', 'blocked', 'warm', 'saved', 'formal'],
      );
      assert.ok(items.every(([, text, titled]) => text.length > 0 && titled));
      // Each swatch has the colour its bars have.
      const colours = await page.evaluate(() => ({
        hitSwatch: getComputedStyle(document.querySelector('.swatch-hit')).backgroundColor,
        hitBar: getComputedStyle(document.querySelector('[data-testid="spec-bar"][data-outcome="hit"]')).backgroundColor,
        blockedSwatch: getComputedStyle(document.querySelector('.swatch-blocked')).backgroundColor,
        blockedMark: getComputedStyle(document.querySelector('[data-testid="blocked-mark"]')).backgroundColor,
      }));
      assert.equal(colours.hitSwatch, colours.hitBar);
      assert.equal(colours.blockedSwatch, colours.blockedMark);
      await context.close();
    },
  ],
  [
    'the time a hit saved is drawn from the formal call for as long as the call would have run, and the axis labels stay inside the frame',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: fullTrace() });
      await page.waitForSelector('[data-testid="saved"]');
      const geo = await page.evaluate(() => {
        const box = (q) => document.querySelector(q).getBoundingClientRect();
        const bar = box('[data-testid="spec-bar"]');
        const seal = box('[data-testid="seal"]');
        const saved = box('[data-testid="saved"]');
        const frame = box('[data-testid="timeline"]');
        const ticks = [...document.querySelectorAll('.axis-tick')].map((t) => t.getBoundingClientRect());
        return { bar, seal, saved, frame, ticks: ticks.map((t) => [t.left, t.right]) };
      });
      // Bar 250→1100 ms, seal at 1500, saved 850 ms: the hatch starts at the seal and is as long as the run.
      assert.ok(Math.abs(geo.saved.left - (geo.seal.left + geo.seal.width / 2)) < 2, JSON.stringify(geo));
      assert.ok(Math.abs(geo.saved.width - geo.bar.width) < 2, JSON.stringify(geo));
      assert.ok(geo.ticks.length >= 3);
      for (const [left, right] of geo.ticks) assert.ok(left >= geo.frame.left && right <= geo.frame.right, JSON.stringify(geo));
      await context.close();
    },
  ],
  [
    'an intent explains its decision on hover and in the decisions table, with the setting that would change it',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: fullTrace() });
      await page.hover('[data-testid="intent"][data-outcome="blocked"]');
      await page.waitForSelector('[data-testid="intent-tooltip"]:visible');
      const tip = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.tip-row')].map((r) => [r.dataset.field, r.querySelector('.tip-value').textContent])));
      const blocked = await tip();
      assert.equal(blocked.why, blockedExplanation.summary);
      assert.match(blocked['to change'], /foresight\.speculation\.readOnlyTools/);
      await page.hover('[data-testid="intent"][data-outcome="hit"]');
      await page.waitForFunction(() => document.querySelector('.tip-row[data-field="tool"] .tip-value')?.textContent === 'get_forecast');
      const hit = await tip();
      assert.equal(hit.confidence, '70% (rule 90%)');
      assert.equal(hit.latency, 'typically 850 ms a run; an unneeded run costs 412 ms');
      assert.equal(hit['saving vs cost'], '595 ms vs 124 ms');
      assert.equal(hit.budget, '0% used of 30.00 s');
      const rows = await page.$$eval('[data-testid="intent-row"]', (rs) => rs.map((r) => Object.fromEntries([...r.querySelectorAll('td')].map((td) => [td.dataset.field, td.textContent]))));
      assert.equal(rows.length, 2);
      assert.equal(rows[0].tool, 'get_forecast');
      assert.equal(rows[0].p, '70% (90%)');
      assert.equal(rows[0].latency, '850 ms');
      assert.equal(rows[0].outcome, 'hit');
      assert.match(rows[1].why, /^Not run early: book_trip is not known to be read-only.*readOnlyTools/);
      const titles = await page.$$eval('.intents-table th, .figures-table th', (ths) => ths.map((th) => th.title));
      assert.ok(titles.length > 10 && titles.every((t) => t.length > 0), 'every table header is explained');
      await context.close();
    },
  ],
  [
    'the decisions table updates a row in place when its intent settles, adds rows for new intents, and starts over on a new trace',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      const events = fullTrace();
      const claims = events.filter((e) => e.type === 'claim');
      assert.ok(claims.length > 0, 'the trace has a claim to settle an intent with');
      await post(page, 'trace/events', { events: events.filter((e) => e.type !== 'claim') });
      await page.waitForSelector('[data-testid="intent-row"][data-intent="0"]');
      const before = await page.$eval('[data-testid="intent-row"][data-intent="0"]', (r) => {
        r.dataset.probe = 'kept';
        return r.querySelector('td[data-field="outcome"]').textContent;
      });
      assert.notEqual(before, 'hit');
      await post(page, 'trace/events', { events: claims });
      await page.waitForFunction(() => document.querySelector('[data-testid="intent-row"][data-intent="0"] td[data-field="outcome"]')?.textContent === 'hit');
      assert.equal(await page.$eval('[data-testid="intent-row"][data-intent="0"]', (r) => r.dataset.probe ?? null), 'kept', 'the same row element, updated');
      const ids = await page.$$eval('[data-testid="intent-row"]', (rs) => rs.map((r) => r.dataset.intent));
      assert.deepEqual(ids, ['0', '1']);
      await post(page, 'trace/reset', { source: { kind: 'live', title: 'another' } });
      await post(page, 'trace/events', { events: fullTrace().filter((e) => e.type !== 'claim') });
      await page.waitForSelector('[data-testid="intent-row"][data-intent="0"]');
      const after = await page.$$eval('[data-testid="intent-row"]', (rs) => rs.map((r) => ({ id: r.dataset.intent, probe: r.dataset.probe ?? null, outcome: r.querySelector('td[data-field="outcome"]').textContent })));
      assert.equal(after.length, 2, JSON.stringify(after));
      assert.ok(after.every((r) => r.outcome !== 'hit'), `no row of the old trace is left: ${JSON.stringify(after)}`);
      await context.close();
    },
  ],
  [
    'clicking a bar selects its intent in the reasoning, its row and its tool card; clicking a row selects the highlight',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      const filler = { type: 'reasoning', turn: 0, t: 350, text: 'Still thinking about the trip. '.repeat(200) };
      const events = fullTrace();
      events.splice(4, 0, filler);
      await post(page, 'trace/events', { events });
      await page.waitForSelector('[data-testid="tool-card"]');
      // Scroll the stream to its end, away from the highlight.
      await page.$eval('.think-stream', (s) => (s.scrollTop = s.scrollHeight));
      await page.click('[data-testid="spec-bar"]');
      await page.waitForSelector('mark.intent.selected');
      const state = await page.evaluate(() => {
        const mark = document.querySelector('mark.intent.selected');
        const stream = document.querySelector('.think-stream').getBoundingClientRect();
        const box = mark.getBoundingClientRect();
        return {
          intent: mark.dataset.intent,
          visible: box.top >= stream.top && box.bottom <= stream.bottom,
          card: document.querySelector('[data-testid="tool-card"].selected')?.dataset.call ?? null,
          row: document.querySelector('[data-testid="intent-row"].selected')?.dataset.intent ?? null,
          tip: !document.querySelector('[data-testid="intent-tooltip"]').hidden,
        };
      });
      assert.deepEqual(state, { intent: '0', visible: true, card: 'c1', row: '0', tip: true });
      await page.click('[data-testid="intent-row"][data-intent="1"]');
      await page.waitForSelector('mark.intent.selected[data-intent="1"]');
      assert.equal(await page.$$eval('mark.intent.selected', (ms) => ms.length), 1);
      await context.close();
    },
  ],
  [
    'the trace shows each tool call with its result and the final answer, not only the reasoning',
    async ({ browser, base }) => {
      const { page, context } = await livePage(browser, base);
      await post(page, 'trace/events', { events: fullTrace() });
      await page.waitForSelector('[data-testid="answer"]:visible');
      await page.waitForSelector('[data-testid="formal-run"]');
      const got = await page.evaluate(() => ({
        card: [...document.querySelectorAll('[data-testid="tool-card"] span')].map((s) => s.textContent),
        output: document.querySelector('[data-testid="tool-output"]').textContent,
        answer: document.querySelector('[data-testid="answer"]:not([hidden]) .answer-text').textContent,
        answerTurn: document.querySelector('[data-testid="answer"]:not([hidden])').closest('.turn-stream').dataset.turn,
        wait: document.querySelectorAll('[data-testid="formal-run"]').length,
      }));
      assert.deepEqual(got, {
        card: ['get_forecast', '{"city":"Lisbon","days":2}', '1 ms · hit, saved 850 ms'],
        output: 'Lisbon: rain tomorrow, 14 °C',
        answer: 'Take an umbrella: rain is forecast.',
        answerTurn: '1',
        wait: 1,
      });
      // An answer that turns out to be reasoning is taken back.
      await post(page, 'trace/events', { events: [{ type: 'answer', turn: 1, t: 1800, text: '', replace: true }] });
      await page.waitForSelector('.turn-stream[data-turn="1"] [data-testid="answer"]', { state: 'hidden' });
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
          {
            type: 'intent',
            turn: 0,
            t: 4,
            id: 1,
            kind: 'call',
            tool: 'x',
            canonical: '<img src=x onerror="window.__pwned=7">',
            ruleId: 'r',
            probability: 0.5,
            decision: '<b>blocked</b>',
            span: { start: 12, end: 20 },
            explanation: { gate: '<b>g</b>', summary: evil, action: '<img src=x onerror="window.__pwned=8">', prior: 0.5, probability: 0.5 },
          },
          { type: 'seal', turn: 0, t: 5, callId: '"><img src=x onerror="window.__pwned=9">', tool: '<b>t</b>', arguments: evil },
          { type: 'toolResult', turn: 0, t: 6, callId: '"><img src=x onerror="window.__pwned=9">', tool: '<img src=x onerror="window.__pwned=10">', arguments: evil, output: evil, truncated: false, isError: false, durationMs: 1 },
          { type: 'answer', turn: 0, t: 7, text: evil },
        ],
      });
      await page.waitForSelector('[data-testid="intent"]');
      await page.waitForSelector('[data-testid="intent-row"]');
      await page.waitForSelector('[data-testid="tool-card"]');
      await page.hover('[data-testid="intent"]');
      await frames(page);
      await page.hover('[data-testid="intent"][data-intent="1"]');
      await frames(page);
      await page.click('[data-testid="intent-row"][data-intent="1"]');
      await frames(page);
      const r = await page.evaluate(() => ({
        pwned: window.__pwned ?? null,
        imgs: document.querySelectorAll('#app img, #app script, #app b, .intent-tooltip img, .intent-tooltip b').length,
        text: document.querySelector('.turn-body').textContent,
        output: document.querySelector('[data-testid="tool-output"]').textContent,
        answer: document.querySelector('[data-testid="answer"] .answer-text').textContent,
        why: document.querySelector('[data-testid="intent-row"][data-intent="1"] td[data-field="why"]').textContent,
      }));
      assert.deepEqual(r, { pwned: null, imgs: 0, text: evil, output: evil, answer: evil, why: `${evil} <img src=x onerror="window.__pwned=8">` });
      await context.close();
    },
  ],
];
