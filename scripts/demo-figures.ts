// Prints, for each demo conversation, the time saved live in the chat (the embedded endpoint at
// the demo pace, real clock), on replay of its recording, re-sniffed from the recording and
// re-sniffed from the demo file, with the outcomes each saw, and what the live tool cards said.
// `node --import tsx scripts/demo-figures.ts [tokensPerSecond]` (default: the demo setting's default).
import { join } from 'node:path';
import { SETTING_DEFAULTS } from '../src/core/chat-session/settings.js';
import { measureDemoConversations } from '../test/fixtures/demo-figures.js';

async function main(): Promise<void> {
  const pace = Number(process.argv[2] ?? SETTING_DEFAULTS['demo.tokensPerSecond']);
  const figures = await measureDemoConversations(join(process.cwd(), 'media/demo-sessions'), pace);
  console.log(`demo pace ${pace} tokens/s; saved ms: live | replay | re-sniffed recording | re-sniffed file`);
  for (const f of figures) {
    console.log(`${f.title}\n  saved ${f.live.savedMs} | ${f.replay.savedMs} | ${f.resniff.savedMs} | ${f.resniffFile.savedMs}`);
    console.log(`  outcomes live: ${f.live.outcomes.join(', ')}`);
    for (const [name, run] of [['replay', f.replay], ['re-sniffed recording', f.resniff], ['re-sniffed file', f.resniffFile]] as const) {
      if (run.outcomes.join() !== f.live.outcomes.join()) console.log(`  outcomes ${name}: ${run.outcomes.join(', ')}`);
    }
    console.log(`  cards: ${f.cards.map((c) => `${c.tool} ${c.durationMs} ms${c.served ? ` (${c.served.outcome}, saved ${c.served.savedMs} ms)` : ''}`).join('; ')}`);
  }
}

void main();
