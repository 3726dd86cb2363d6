// `npm run lint`: pins the layers of docs/architecture.md with import rules, plus a few
// syntax-only checks. No type-aware rules, so it stays fast.
import tseslint from 'typescript-eslint';

// The core's layers, bottom to top; a folder may import its own layer and those below it.
// Folders on one line are peers and may not import each other.
const CORE_LAYERS = [
  ['util', 'chat'],
  ['schema'],
  ['rules'],
  ['sniff'],
  ['stream'],
  ['speculation'],
  ['session'],
  ['tools'],
  ['engine'],
  ['agent', 'specreason'],
  ['eval', 'trace', 'tuning', 'endpoint', 'chat-session'],
  // The recording proxy forwards to an upstream with the endpoint's HTTP helpers and limits.
  ['proxy'],
];

const EDITOR_APIS = [
  { name: 'vscode', message: 'src/core never imports vscode (docs/architecture.md).' },
  ...['vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-protocol', 'vscode-languageserver-textdocument', 'vscode-languageclient', 'vscode-languageclient/node'].map((name) => ({
    name,
    message: 'src/core never imports the language server or client libraries (docs/architecture.md).',
  })),
];

/** A relative import that climbs into one of these folders of src/core, or out of the core. */
function forbiddenFolders(folders, why) {
  return { regex: `^(\\./|(\\.\\./)+)(${folders.join('|')})/`, message: why };
}

const OUT_OF_CORE = { regex: '^(\\.\\./)+(extension|server|cli|\\.\\./webview)/', message: 'src/core never imports the extension, the server, the CLI or the webviews.' };

function coreLayerBlocks() {
  const blocks = [];
  CORE_LAYERS.forEach((layer, level) => {
    const above = CORE_LAYERS.slice(level + 1).flat();
    for (const folder of layer) {
      const peers = layer.filter((f) => f !== folder);
      const patterns = [OUT_OF_CORE];
      if (above.length > 0) patterns.push(forbiddenFolders(above, `src/core/${folder} sits below ${above.join(', ')} (docs/architecture.md, core layers).`));
      if (peers.length > 0) patterns.push(forbiddenFolders(peers, `src/core/${folder} and ${peers.join(', ')} are peers and do not import each other.`));
      blocks.push({
        files: [`src/core/${folder}/**/*.ts`],
        rules: { 'no-restricted-imports': ['error', { paths: EDITOR_APIS, patterns }] },
      });
    }
  });
  // Modules at the root of src/core (disposable.ts) are at the bottom with util and chat.
  blocks.push({
    files: ['src/core/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: EDITOR_APIS, patterns: [OUT_OF_CORE, forbiddenFolders(CORE_LAYERS.slice(1).flat(), 'Modules at the root of src/core sit at the bottom, with util and chat.')] }] },
  });
  return blocks;
}

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.cache/**', '.vscode-test/**', 'test/**/fixtures/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-duplicate-case': 'error',
      'no-self-assign': 'error',
      'no-unsafe-finally': 'error',
      'no-unreachable': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  ...coreLayerBlocks(),
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webviews run in a browser; they talk to the host through src/shared/protocol.ts.' }],
          patterns: [{ regex: '^(\\.\\./)+src/(?!shared/)', message: 'webview/ imports only src/shared/ (docs/architecture.md).' }],
        },
      ],
    },
  },
  {
    // The library entry is what an agent's own process imports: the core, nothing of the editor.
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: EDITOR_APIS, patterns: [{ regex: '^(\\.\\./)+(extension|server|\\.\\./webview)/', message: 'src/lib is imported by agents outside the editor; it uses the core only.' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/shared is used by the webviews and the server too; it never imports vscode.' }], patterns: [{ regex: '^(\\.\\./)+(extension|server|cli)/', message: 'src/shared never imports the extension, the server or the CLI.' }] }],
    },
  },
);
