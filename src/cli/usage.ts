// The commands' usage texts, apart from the commands: `foresight --help` and a command's own
// errors print them, and the CLI loads a command's code (and its dependencies) only when it runs.

export const SERVE_USAGE = `foresight serve --sessions DIR_OR_FILE... [--port N] [--tokens-per-second N]
                [--reasoning-field reasoning_content|reasoning|think-tags|as-recorded]
                [--faults [--fail-status CODE [--fail-count N]] [--cut-after N]]
foresight serve --list [DIR_OR_FILE...]

Serves recorded sessions (Foresight sessions, Responses API rollouts, Chat Completions
transcripts) as an OpenAI-compatible endpoint on 127.0.0.1 and prints
"listening http://127.0.0.1:PORT" once it is ready. A request is answered with the recorded
turn whose request had the same messages.

--list prints, per session, the prompts it answers (the user message of each turn, or that the
turn follows tool results) and exits; with no files, those of the shipped demo sessions the
embedded endpoint serves.

--faults turns the fault switches on, for testing clients: the x-foresight-fault request
header (status=CODE, cut-after=N) and the --fail-status, --fail-count and --cut-after flags.
Without it the header is ignored. Request bodies over 32 MiB get 413; more than 32 requests
at once get 503.`;

export const TEST_USAGE = `foresight test FILE.sniff... [--tools TOOLS.json]

Checks rule files and runs their inline tests. Prints each problem as file:line:col, each
failing test as "file:line: rule: expected X, got Y", and last "N passed, M failed". A rule
whose pattern could backtrack catastrophically is an error; its tests are not run.
--tools takes a JSON array of OpenAI tool specs; their parameter schemas type the arguments.
Exits 1 if a test fails or a file has an error, 0 otherwise.`;

export const EVAL_USAGE = `foresight eval FILES... [--rules F.sniff...] [--readonly GLOB,...] [--open-world GLOB,...]
               [--allow-open-world GLOB,...] [--tokens-per-second N] [--tokens-per-piece N]
               [--tool-latency-ms N]
               [--no-schema] [--json] [--calls]

Replays traces (sessions or Responses rollouts) through the engine exactly as the live chat
runs a turn (sniffers, speculation policy, claims, the session's result cache), and reports
per call whether the exact call (tool and canonical arguments) was predicted before it was
sealed, beside the precision of what was run early. Tools matching --readonly count as
read-only; all others must be blocked. --open-world marks read-only tools that reach outside,
which run early only with --allow-open-world. Imported traces are paced at
--tokens-per-second (40), in pieces of --tokens-per-piece words (8; 1 streams word by word);
tools take their recorded time, else --tool-latency-ms (500).
Without --rules the shipped default rules are used.`;

export const TOOLS_USAGE = `foresight tools [--mcp-stdio "[NAME=]CMD ARGS"]... [--mcp-http [NAME=]URL]...
                [--mcp-json FILE] [--trust SERVER]... [--allow-open-world]
                [--readonly GLOB,...] [--root DIR] [--timeout-ms N] [--json]
                [--call NAME ['ARGS_JSON']]

Lists the tools Foresight would offer and whether each may run early (read-only, and
closed-world or its open-world reads allowed), so a configuration can be checked without
VS Code. Servers come from --mcp-stdio (a command line, quoted; the server is named after the
command's file name unless written NAME=CMD ...), --mcp-http (Streamable HTTP; named after the
host unless NAME=URL) and --mcp-json (a workspace's .vscode/mcp.json). No server is trusted
unless named with --trust; --allow-open-world lets every server's read-only open-world tools
run early; --readonly marks tools read-only by name (never one its server calls destructive).
--root DIR adds the built-in file tools for that folder. Where two tools share a name, each is
offered as SERVER__TOOL.
--call runs one tool once with ARGS_JSON (default {}) and prints its result; exit 1 when the
tool is unknown, the arguments are not a JSON object, or the tool or its server fails.
Exit 1 also when a server cannot be started.`;

export const EXPORT_USAGE = `foresight export --otlp SESSION... [--out FILE] [--send URL] [--header NAME=VALUE]...
                 [--capture-content] [--resniff [--rules F.sniff...] [--readonly GLOB,...]]
                 [--timeout-ms N]

Writes recorded sessions (any file eval reads) as OpenTelemetry traces in OTLP/JSON, following
the GenAI semantic conventions: one trace per session, an invoke_agent root, a chat span per
model call and an execute_tool span per tool run; speculative runs are execute_tool spans
marked foresight.speculative, linked from the formal call they served, with
foresight.speculation.{outcome,rule,probability,lead_ms,saved_ms}. Messages, reasoning and tool
arguments and results are left out unless --capture-content. The speculation is the one
recorded with the session; --resniff replays each session through the engine with the current
rules (the shipped ones unless --rules; tools matching --readonly count as read-only, as do
recorded stand-ins), as the trace panel's re-sniff does. Prints the JSON, or writes it to
--out FILE; --send URL posts it to an OTLP/HTTP receiver (for example
http://127.0.0.1:4318/v1/traces) instead, with each --header. Exit 1 when no session could be
read or the receiver refused.`;

export const PROXY_USAGE = `foresight proxy --upstream URL [--port N] [--sessions-dir DIR] [--rules F.sniff...]
                [--readonly GLOB,...] [--no-shadow]

Serves the OpenAI protocol on 127.0.0.1 in front of your agent's endpoint: point the agent's
base URL at the printed "listening http://127.0.0.1:PORT" (add /v1 as the agent expects) and
every request goes to --upstream unchanged, key included (never recorded or logged). With
--sessions-dir, each conversation is recorded as one session (readable by eval, the Sessions
view and replay) with shadow speculation: the reasoning is sniffed with the rules (the shipped
defaults without --rules) and the request's tools, nothing is run, and each call's outcome is
recorded (exact or not, lead, the tool's real latency, what an early run would have saved).
--readonly names the tools that could have run early (default: all, since nothing runs).`;
