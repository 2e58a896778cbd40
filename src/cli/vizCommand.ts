import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Aggregate } from '../aggregate/index.js';
import { describeMachine, renderMermaidSvg, toMermaid } from '../machines/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import { CliUsageError, EXIT, printError } from './cliOutput.js';

export const vizUsage = 'viz <aggregateType | processManager> [--out file.svg] [--json]';

/**
 * `chronicle viz <aggregateType | processManager>`: prints the machine as Mermaid stateDiagram text
 * (what GET /v1/machines/:type returns), or its JSON description with --json, or writes an SVG with
 * --out. Plug it in with `runCli(argv, { ..., verbs: { viz: vizCommand(aggregates, processManagers) } })`.
 */
export const vizCommand =
  (aggregates: readonly Aggregate[], processManagers: readonly ProcessManager[] = []) =>
  async (args: string[]): Promise<number> => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const [type] = positionals;
    if (!type) throw new CliUsageError(vizUsage);
    const owners = [...aggregates, ...processManagers];
    const nameOf = (owner: Aggregate | ProcessManager) => ('kind' in owner ? owner.name : owner.type);
    const owner = owners.find((candidate) => nameOf(candidate) === type);
    if (!owner) {
      printError(`no aggregate type or process manager "${type}"; known: ${owners.map(nameOf).join(', ')}`);
      return EXIT.rejected;
    }
    const description = describeMachine(owner);
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
