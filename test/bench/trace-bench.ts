import type { Page } from 'playwright-core';
import { EventBatcher } from '../../src/core/trace/event-batcher.js';
import type { TraceEvent } from '../../src/shared/protocol.js';
// @ts-expect-error: the harness is plain JavaScript (shared with the browser tests), without types.
import { launchChromium, openPage, post, startHarnessServer } from '../webview-browser/harness.mjs';

/** What the trace panel benchmark measured. */
export interface TraceBenchResult {
  tokens: number;
  chars: number;
  highlights: number;
  /** Longest main-thread task the page reported (PerformanceObserver longtask), ms; 0 when none reached 50 ms. */
  longestTaskMs: number;
  /**
   * The most main-thread work (scripts plus style, layout and paint) of any frame the page
   * reported as long (PerformanceObserver long-animation-frame), ms; 0 when no frame reached 50 ms.
   * A long frame with no work in it is the headless compositor's pacing, not the page.
   */
  longestFrameWorkMs: number;
  /** The longest such frame's whole duration, work or not, ms. */
  longestAnimationFrameMs: number;
  /** Longest gap between two animation frames while the stream was drawn, ms; includes headless compositor hiccups that an idle page also shows. */
  longestFrameGapMs: number;
  /** Gaps between animation frames over 50 ms. */
  framesOver50: number;
  frames: number;
  /** Most messages the host sent within any one second. */
  hostMessagesPerSecondMax: number;
  messages: number;
  seconds: number;
}

interface Measures {
  __longest: number;
  __loaf: number;
  __loafs: string[];
  __work: number;
  __gap: number;
  __over: number;
  __frames: number;
  __measure: boolean;
  __from: number;
}

const WORDS = ['the', 'forecast', 'for', 'Lisbon', 'says', 'rain', 'so', 'I', 'should', 'check', 'again', 'before', 'answering', 'maybe', 'tomorrow'];

/**
 * Streams a think stream of `tokens` word tokens, with an intent (and its speculation, claim
 * and seal) every 400 tokens, from a host-side `EventBatcher` (60 a second) into the real
 * trace bundle in headless Chromium, as fast as the host produces it, and measures the page's
 * longest frame and the host's message rate.
 */
export async function traceBench(tokens = 200_000, tokensPerMs = 20): Promise<TraceBenchResult> {
  const server = await startHarnessServer();
  const browser = await launchChromium();
  try {
    const { page } = (await openPage(browser, server.base, 'trace', { width: 1200, height: 900 })) as { page: Page };
    await post(page, 'trace/reset', { source: { kind: 'live', title: 'bench' } });
    await page.evaluate(() => {
      const w = window as unknown as Measures;
      w.__longest = 0;
      w.__loaf = 0;
      w.__loafs = [];
      w.__work = 0;
      w.__from = Infinity;
      w.__gap = 0;
      w.__over = 0;
      w.__frames = 0;
      // Measuring starts with the stream, below: the page's own start-up is not what is measured.
      w.__measure = false;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (w.__measure && e.startTime >= w.__from) w.__longest = Math.max(w.__longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
      if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            if (!w.__measure || e.startTime < w.__from) continue;
            w.__loaf = Math.max(w.__loaf, e.duration);
            const f = e as PerformanceEntry & { blockingDuration: number; renderStart: number; styleAndLayoutStart: number; scripts: { invoker: string; duration: number }[] };
            const work = f.scripts.reduce((sum, x) => sum + x.duration, 0) + (f.renderStart > 0 ? f.startTime + f.duration - f.renderStart : 0);
            w.__work = Math.max(w.__work, work);
            w.__loafs.push(`${Math.round(f.duration)} ms at ${Math.round(f.startTime)}: render ${Math.round(f.startTime + f.duration - f.renderStart)}, layout ${Math.round(f.startTime + f.duration - f.styleAndLayoutStart)}, scripts ${f.scripts.map((x) => `${x.invoker} ${Math.round(x.duration)}`).join('; ')}`);
          }
        }).observe({ type: 'long-animation-frame', buffered: false });
      } else w.__loaf = -1;
      let last = performance.now();
      const loop = (now: number) => {
        if (w.__measure) {
          w.__gap = Math.max(w.__gap, now - last);
          if (now - last > 50) w.__over++;
          w.__frames++;
        }
        last = now;
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });

    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.evaluate(() => {
      const w = window as unknown as Measures;
      w.__from = performance.now();
      w.__measure = true;
    });
    const sendTimes: number[] = [];
    let chain: Promise<unknown> = Promise.resolve();
    const batcher = new EventBatcher<TraceEvent>((events) => {
      sendTimes.push(performance.now());
      chain = chain.then(() => post(page, 'trace/events', { events }));
    });

    let chars = 0;
    let highlights = 0;
    let specId = 0;
    let t = 0;
    const started = performance.now();
    batcher.push([{ type: 'turnStart', turn: 0, t: 0, label: 'bench' }]);
    for (let sent = 0; sent < tokens; ) {
      // Produce in real time so the batcher, not the producer, sets the pace of messages.
      await new Promise((r) => setTimeout(r, 5));
      const target = Math.min(tokens, Math.round((performance.now() - started) * tokensPerMs));
      const events: TraceEvent[] = [];
      for (; sent < target; sent++) {
        const word = `${sent % 37 === 0 ? '\n' : ' '}${WORDS[sent % WORDS.length]}`;
        events.push({ type: 'reasoning', turn: 0, t, text: word });
        chars += word.length;
        if (sent % 400 === 399) {
          t += 1;
          const id = highlights++;
          const canonical = `{"n":${id}}`;
          events.push({ type: 'specStart', turn: 0, t, specId: ++specId, tool: id % 3 === 0 ? 'get_forecast' : 'search_docs', canonical, ruleId: 'bench' });
          events.push({ type: 'intent', turn: 0, t, id, kind: 'call', tool: id % 3 === 0 ? 'get_forecast' : 'search_docs', canonical, ruleId: 'bench', probability: 0.8, decision: 'fired', span: { start: chars - 40, end: chars - 2 } });
          events.push({ type: 'specEnd', turn: 0, t: t + 5, specId, status: 'done' });
          events.push({ type: 'seal', turn: 0, t: t + 8, callId: `c${id}`, tool: id % 3 === 0 ? 'get_forecast' : 'search_docs', arguments: canonical });
          events.push({ type: 'claim', turn: 0, t: t + 8, callId: `c${id}`, tool: id % 3 === 0 ? 'get_forecast' : 'search_docs', canonical, outcome: id % 5 === 0 ? 'miss' : 'hit', specId, savedMs: 5 });
        }
      }
      batcher.push(events);
    }
    batcher.push([{ type: 'reasoning', turn: 0, t, text: ' END' }]);
    batcher.flush();
    await new Promise((r) => setTimeout(r, 40));
    batcher.flush();
    await chain;
    // Checks only the last block: reading the whole stream's text would itself block frames.
    await page.waitForFunction(() => document.querySelector('.turn-body > .segment:last-child')?.textContent?.endsWith(' END') === true, undefined, { timeout: 60_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const measured = await page.evaluate(() => {
      const w = window as unknown as Measures;
      w.__measure = false;
      return { work: w.__work, loafs: w.__loafs, longest: w.__longest, loaf: w.__loaf, gap: w.__gap, over: w.__over, frames: w.__frames };
    });
    let maxPerSecond = 0;
    for (let i = 0; i < sendTimes.length; i++) {
      let j = i;
      while (j < sendTimes.length && sendTimes[j]! < sendTimes[i]! + 1000) j++;
      maxPerSecond = Math.max(maxPerSecond, j - i);
    }
    if (process.env.FORESIGHT_BENCH_DEBUG) console.log(measured.loafs.join('\n'));
    return {
      tokens,
      chars,
      highlights,
      longestTaskMs: measured.longest,
      longestFrameWorkMs: measured.work,
      longestAnimationFrameMs: measured.loaf,
      longestFrameGapMs: measured.gap,
      framesOver50: measured.over,
      frames: measured.frames,
      hostMessagesPerSecondMax: maxPerSecond,
      messages: sendTimes.length,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
