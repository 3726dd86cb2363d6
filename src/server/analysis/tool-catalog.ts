import type { JsonSchema, ToolSpec } from '../../core/chat/types.js';
import type { RuleTarget } from '../../core/rules/rule-ast.js';
import { toolForRole } from '../../core/sniff/tool-roles.js';

/** Capture names a role rule may use whatever the tool's own parameter is called (see tool-roles). */
export const ROLE_ALIASES = ['path', 'query', 'url', 'code'] as const;

/**
 * The tools a rule file may target: those offered in the linked recorded sessions and those the
 * client sends (configured tools, MCP servers). A client tool wins over a recorded one of the
 * same name, since it is the current declaration.
 */
export class ToolCatalog {
  private fromSessions = new Map<string, ToolSpec>();
  private fromClient = new Map<string, ToolSpec>();

  setSessionTools(tools: readonly ToolSpec[]): void {
    this.fromSessions = byName(tools);
  }

  setClientTools(tools: readonly ToolSpec[]): void {
    this.fromClient = byName(tools);
  }

  get(name: string): ToolSpec | undefined {
    return this.fromClient.get(name) ?? this.fromSessions.get(name);
  }

  all(): ToolSpec[] {
    const merged = new Map(this.fromSessions);
    for (const [name, tool] of this.fromClient) merged.set(name, tool);
    return [...merged.values()].sort((a, b) => a.function.name.localeCompare(b.function.name));
  }

  get size(): number {
    return this.all().length;
  }

  /** The tool a target stands for here: the named one, or the best player of the role. */
  resolve(target: RuleTarget): ToolSpec | undefined {
    return target.by === 'name' ? this.get(target.name) : toolForRole(this.all(), target.role);
  }
}

/** The parameter names of a tool's JSON schema, in declaration order. */
export function parametersOf(tool: ToolSpec | undefined): string[] {
  return Object.keys(propertiesOf(tool?.function.parameters));
}

/** Required parameters that have no schema default (a default is filled in at claim time). */
export function requiredWithoutDefault(tool: ToolSpec | undefined): string[] {
  const schema = tool?.function.parameters;
  const required = Array.isArray(schema?.['required']) ? (schema['required'] as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  const props = propertiesOf(schema);
  return required.filter((r) => {
    const p = props[r];
    return !(p !== null && typeof p === 'object' && 'default' in p);
  });
}

/** The JSON type a parameter declares, if it says one. */
export function parameterType(tool: ToolSpec | undefined, name: string): string | undefined {
  const p = propertiesOf(tool?.function.parameters)[name];
  const type = p !== null && typeof p === 'object' ? (p as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
}

function propertiesOf(schema: JsonSchema | undefined): Record<string, unknown> {
  const props = schema?.['properties'];
  return props !== null && typeof props === 'object' ? (props as Record<string, unknown>) : {};
}

function byName(tools: readonly ToolSpec[]): Map<string, ToolSpec> {
  const out = new Map<string, ToolSpec>();
  for (const t of tools) if (typeof t?.function?.name === 'string') out.set(t.function.name, t);
  return out;
}
