import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Aggregate, createAggregateRegistry } from '../aggregate/index.js';
import { describeMachine, renderMermaidSvg, toMermaid } from '../machines/index.js';
import { CliUsageError, EXIT, printError } from './cliOutput.js';

export const vizUsage = 'viz <aggregateType> [--out file.svg] [--json]';

/**
 * `chronicle viz <aggregateType>`: prints the machine as Mermaid stateDiagram text (what
 * GET /v1/machines/:type returns), or its JSON description with --json, or writes an SVG with --out.
 * Plug it in with `runCli(argv, { ..., verbs: { viz: vizCommand(aggregates) } })`.
 */
export const vizCommand =
  (aggregates: readonly Aggregate[]) =>
  async (args: string[]): Promise<number> => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const [type] = positionals;
    if (!type) throw new CliUsageError(vizUsage);
    const registry = createAggregateRegistry(aggregates);
    const aggregate = registry.find(type);
    if (!aggregate) {
      printError(`no aggregate type "${type}"; known: ${registry.types.join(', ')}`);
      return EXIT.rejected;
    }
    const description = describeMachine(aggregate);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(description, null, 2)}\n`);
      return EXIT.ok;
    }
    const text = toMermaid(description);
    if (!values.out) {
      process.stdout.write(text);
      return EXIT.ok;
    }
    await writeFile(values.out, await renderMermaidSvg(text));
    process.stderr.write(`chronicle: wrote ${values.out}\n`);
    return EXIT.ok;
  };
