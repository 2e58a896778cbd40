import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { forgetSubject, type ReadModelForgetter, rewrapDataKeys } from '../eventStore/index.js';
import { deploymentKeyring } from '../personalData/index.js';
import { CliUsageError, EXIT, printJson } from './cliOutput.js';
import { withOrm } from './withOrm.js';

export const personalDataUsage = `  forget <subject> --reason <text> [--by <who>]
                                            forget a data subject: delete its key, so every reader sees its personal
                                            fields redacted; recorded with who and why (docs/personal-data.md)
  keys rotate                               rewrap every data key with CHRONICLE_KEK (after a rotation; events untouched)`;

const operator = () => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};

/** `chronicle forget` and `chronicle keys rotate`: personal data's operator verbs. */
export const personalDataVerbs = (
  /** The deployment's read models: those with a `forget` have their rows rewritten. */
  readModels: readonly ReadModelForgetter[] = [],
): Record<string, (args: string[]) => Promise<number>> => ({
  forget: async (args) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { reason: { type: 'string' }, by: { type: 'string' } },
    });
    const [subject] = positionals;
    if (!subject || !values.reason?.trim()) throw new CliUsageError('forget <subject> --reason <text>');
    const forgottenBy = values.by ?? operator();
    const outcome = await withOrm(loadConfig(), (orm) =>
      forgetSubject(orm.em.getKnex(), { subject, reason: values.reason as string, forgottenBy }, readModels),
    );
    printJson(outcome);
    return EXIT.ok;
  },
  keys: async (args) => {
    if (args[0] !== 'rotate' || args.length > 1) throw new CliUsageError('keys rotate');
    const keyring = deploymentKeyring();
    const rewrapped = await withOrm(loadConfig(), (orm) => rewrapDataKeys(orm.em.getKnex(), keyring));
    printJson({ status: 'rotated', kekId: keyring.currentId, rewrapped });
    return EXIT.ok;
  },
});
