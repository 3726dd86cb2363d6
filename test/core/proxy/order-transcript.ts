import type { ChatMessage, ToolSpec } from '../../../src/core/chat/types.js';
import type { Session } from '../../../src/core/session/format.js';
import { importChatTranscript } from '../../../src/core/session/import-chat.js';

/** The tool of the order-desk conversation. */
export const ORDER_TOOLS: ToolSpec[] = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      description: 'Where an order is and when it arrives.',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
    },
  },
];

/** A hand-written two-turn conversation: the reasoning states the call, the tool answers, the model replies. */
export const ORDER_TRANSCRIPT = {
  model: 'desk-reasoner',
  title: 'order desk',
  tools: ORDER_TOOLS,
  messages: [
    { role: 'system', content: 'You answer questions about parcels.' },
    { role: 'user', content: 'Where is my order A-1042?' },
    {
      role: 'assistant',
      reasoning_content: 'The customer wants the status of one parcel. I will call lookup_order with order_id "A-1042" and then tell them when it arrives.',
      content: null,
      tool_calls: [{ id: 'call_order', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"A-1042"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_order', content: '{"order_id":"A-1042","status":"in transit","eta":"Thursday"}' },
    {
      role: 'assistant',
      reasoning_content: 'It is in transit and due Thursday.',
      content: 'Your order A-1042 is on its way and should arrive on Thursday.',
    },
  ],
};

/** The transcript as a session the local endpoint serves. */
export function orderSession(): Session {
  return importChatTranscript(structuredClone(ORDER_TRANSCRIPT), { file: 'order-transcript' });
}

/** The first request of the conversation. */
export const ORDER_PROMPT = ORDER_TRANSCRIPT.messages.slice(0, 2) as ChatMessage[];

/** The tool message the agent sends back after the call. */
export const ORDER_RESULT = ORDER_TRANSCRIPT.messages[3] as ChatMessage;
