import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolResult } from '../../chat/tool.js';

/**
 * An MCP tool result as the text handed to the model: text parts joined by blank lines,
 * embedded text resources inlined, other parts (images, audio, blobs, links) named with their
 * type and size rather than dumped; structured content as JSON when there is no text.
 * `isError` is carried over.
 */
export function toToolResult(result: CallToolResult): ToolResult {
  const parts: string[] = [];
  for (const item of result.content ?? []) {
    switch (item.type) {
      case 'text':
        parts.push(item.text);
        break;
      case 'image':
      case 'audio':
        parts.push(`[${item.type} ${item.mimeType}, ${approxBytes(item.data)} bytes]`);
        break;
      case 'resource': {
        const r = item.resource;
        parts.push('text' in r && typeof r.text === 'string' ? r.text : `[resource ${r.uri}${r.mimeType ? `, ${r.mimeType}` : ''}]`);
        break;
      }
      case 'resource_link':
        parts.push(`[resource link ${item.uri}${item.name ? ` (${item.name})` : ''}]`);
        break;
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  return { output: parts.join('\n\n'), isError: result.isError === true };
}

function approxBytes(base64: string): number {
  return Math.floor((base64.length * 3) / 4);
}
