/** The CLI's arguments with the global `--config <path>` (or `--config=<path>`) taken out. */
export const takeConfigOption = (args: readonly string[]): { rest: string[]; config: string | undefined } => {
  const rest: string[] = [];
  let config: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--config') {
      config = args[i + 1];
      if (config === undefined || config.startsWith('--')) throw new Error('--config needs a path');
      i++;
    } else if (arg.startsWith('--config=')) config = arg.slice('--config='.length);
    else rest.push(arg);
  }
  return { rest, config };
};
