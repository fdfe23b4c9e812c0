import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// The NestJS snippets of docs/adapters.md are type-checked as files of the project `nest new` makes:
// its tsconfig (CommonJS output through `module: nodenext` in a package without "type": "module",
// decorators with metadata, ES2023), with `espresso-jwt` resolved to this package's sources. A
// top-level await, which CommonJS lacks, fails here as it fails in such a project.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP = join(ROOT, 'spec', 'nest', 'nest-template');

const NEST_TEMPLATE: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  resolvePackageJsonExports: true,
  esModuleInterop: true,
  isolatedModules: true,
  declaration: true,
  removeComments: true,
  emitDecoratorMetadata: true,
  experimentalDecorators: true,
  allowSyntheticDefaultImports: true,
  target: ts.ScriptTarget.ES2023,
  skipLibCheck: true,
  strictNullChecks: true,
  noImplicitAny: false,
  noEmit: true,
  paths: { 'espresso-jwt': [join(ROOT, 'lib/index.ts')], 'espresso-jwt/nest': [join(ROOT, 'lib/nest/index.ts')] },
};

/** The `ts` blocks of the NestJS section. */
function nestSnippets(): string[] {
  const doc = readFileSync(join(ROOT, 'docs/adapters.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## NestJS'), doc.indexOf('\n## ', doc.indexOf('## NestJS') + 1));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Type errors of `files` (name -> source) in a virtual CommonJS Nest project beside this package. */
function typeErrors(files: Record<string, string>): string[] {
  const virtual = new Map(Object.entries({ 'package.json': '{ "name": "nest-app", "type": "commonjs" }', ...files }).map(([name, text]) => [join(APP, name), text]));
  const host = ts.createCompilerHost(NEST_TEMPLATE);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.directoryExists = (name) => name === APP || directoryExists?.call(host, name) !== false;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, onError, create) =>
    virtual.has(name) ? ts.createSourceFile(name, virtual.get(name)!, version) : getSourceFile.call(host, name, version, onError, create);
  const roots = [...virtual.keys()].filter((name) => name.endsWith('.ts'));
  const program = ts.createProgram(roots, NEST_TEMPLATE, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || virtual.has(d.file.fileName))
    .map((d) => `${d.file ? `${d.file.fileName.slice(APP.length + 1)}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe("docs/adapters.md: the NestJS snippets compile in Nest's default CommonJS project", () => {
  const snippets = nestSnippets();

  it('the section has its snippets', () => {
    assert.ok(snippets.length >= 4, `found ${snippets.length}`);
  });

  it('each type-checks, with no top-level await', () => {
    const files = Object.fromEntries(snippets.map((code, i) => [`snippet-${i + 1}.ts`, code]));
    assert.deepEqual(typeErrors({ ...files, 'app.module.ts': 'export class AppModule {}\n' }), []);
  });

  it('the check would catch a top-level await', () => {
    const errors = typeErrors({ 'main.ts': "import { loadOpenApi } from 'espresso-jwt';\nexport const spec = await loadOpenApi('openapi.yaml');\n" });
    assert.ok(errors.some((e) => /top level|top-level/i.test(e)), errors.join('\n'));
  });
});
